/**
 * What changes inside one object, field by field, as `helm diff` and `kubectl diff` show it: each leaf that differs,
 * with its old and new value. List items that carry a `name` (containers, env variables, volumes, components) are
 * matched by name, so a variable added in the middle of a list is one change, not a change of every later index.
 */
import { isDeepStrictEqual } from 'util';

export interface FieldChange {
  /** `spec.componentSpecs[name=postgresql].replicas`. */
  readonly path: string;
  /** Absent for a field that is added. */
  readonly old?: unknown;
  /** Absent for a field that is removed. */
  readonly new?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field that differs between two versions of an object, in document order. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], joinPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && byName(before) && byName(after)) {
    const old = new Map(before.map((item) => [(item as Json).name as string, item]));
    const now = new Map(after.map((item) => [(item as Json).name as string, item]));
    const names = [...new Set([...now.keys(), ...old.keys()])];
    return names.flatMap((name) => fieldChanges(old.get(name), now.get(name), `${path}[name=${name}]`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => fieldChanges(item, after[index], `${path}[${index}]`));
  }
  return [{ path, ...(before === undefined ? {} : { old: before }), ...(after === undefined ? {} : { new: after }) }];
}

/** Whether every item of a list is an object with a distinct string `name`. */
function byName(items: readonly unknown[]): boolean {
  const names = items.map((item) => (isObject(item) ? item.name : undefined));
  return items.length > 0 && names.every((name) => typeof name === 'string') && new Set(names).size === names.length;
}

/** `a.b`, or `a["app.kubernetes.io/name"]` for a key that is not a plain name. */
function joinPath(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return part.startsWith('[') || !path ? `${path}${part}` : `${path}.${part}`;
}

/** Whether every change is to the object's labels (a version label on every object after an upgrade). */
export function onlyLabels(changes: readonly FieldChange[]): boolean {
  return changes.length > 0 && changes.every((change) => /^metadata\.labels(\[|\.|$)/.test(change.path));
}

/** A value as one short line. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `path: old -> new`, `path: + new`, `path: - old`. */
export function describeChange(change: FieldChange): string {
  if (!('old' in change)) return `${change.path}: + ${shownValue(change.new)}`;
  if (!('new' in change)) return `${change.path}: - ${shownValue(change.old)}`;
  return `${change.path}: ${shownValue(change.old)} -> ${shownValue(change.new)}`;
}
