"""
Writes the Alembic head revisions of a migrations folder to a file, one per line, sorted: the schema revision the
api image's code expects. The revision files are parsed, never imported (Dify's import the app's models), so this
needs nothing but the Python the image runs. Usage: schema-heads.py <versions folder> <output file>
"""
import ast
import pathlib
import sys


def assigned(tree, name):
    """The literal module-level value of `name` (plain or annotated assignment), or KeyError."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            targets = [node.target.id]
        else:
            continue
        if name in targets:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def as_set(value):
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def heads(folder):
    revisions, parents = set(), set()
    for file in sorted(pathlib.Path(folder).glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        try:
            revision = assigned(tree, "revision")
        except KeyError:
            continue  # not a revision file (an __init__.py, a helper)
        revisions.add(revision)
        parents |= as_set(assigned(tree, "down_revision"))
    missing = parents - revisions
    if missing:
        raise SystemExit(f"revisions refer to parents that are not in {folder}: {' '.join(sorted(missing))}")
    found = sorted(revisions - parents)
    if not found:
        raise SystemExit(f"no Alembic revisions in {folder}")
    return found


def main():
    folder, output = sys.argv[1], pathlib.Path(sys.argv[2])
    found = heads(folder)
    output.write_text("".join(f"{head}\n" for head in found), encoding="utf-8")
    print(f"the image's schema head: {' '.join(found)}")


if __name__ == "__main__":
    main()
