/**
 * What changes inside one object, field by field, as `helm diff` and `kubectl diff` show it: each leaf that differs,
 * with its old and new value. List items are matched by the key Kubernetes gives them (containers, env variables,
 * ports, volumes and components by `name`; Ingress rules by `host` and their paths by `path`; HTTPRoute rules by
 * the paths they match), so an item added in the middle of a list is one change, not a change of every later index.
 * Lists without such a key are compared item by item, and each added or removed item is printed with its value:
 * never the whole list as one cut-off value.
 */
import { isDeepStrictEqual } from 'util';
import { shownChange, shownValue } from './changed-value';

export { shownValue };

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

/** A list key: what it is called in a path, and the item's value of it (undefined when the item has none). */
interface ListKey {
  readonly label: string;
  readonly of: (item: Json) => unknown;
}

/** An HTTPRoute rule is known by the paths it matches (Gateway API rules have no name in the versions written). */
const routePaths = (item: Json): string | undefined => (Array.isArray(item.matches) && item.matches.length > 0
  ? item.matches.map((match) => (isObject(match) && isObject(match.path) ? String(match.path.value) : JSON.stringify(match))).join(',')
  : undefined);

/** The keys tried in order: the first that every item of both lists has, once per list, is the list's key. */
const LIST_KEYS: readonly ListKey[] = [
  { label: 'name', of: (item) => item.name },
  { label: 'host', of: (item) => item.host },
  { label: 'path', of: (item) => item.path },
  { label: 'path', of: routePaths },
];

/** Lists whose items have no key and are compared whole: a toleration is one rule, not fields to diff apart. */
const WHOLE_ITEM_LISTS: ReadonlySet<string> = new Set(['tolerations']);

/** Every field that differs between two versions of an object, in document order. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], joinPath(path, key)));
  }
  // A list that appears or goes away is its items appearing or going away, each shown by its key.
  if ((Array.isArray(before) || before === undefined) && (Array.isArray(after) || after === undefined)) return listChanges(before ?? [], after ?? [], path);
  return [{ path, ...(before === undefined ? {} : { old: before }), ...(after === undefined ? {} : { new: after }) }];
}

function listChanges(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
  const key = listKey(before, after);
  if (key) {
    const id = (item: unknown) => String(key.of(item as Json));
    const old = new Map(before.map((item) => [id(item), item]));
    const now = new Map(after.map((item) => [id(item), item]));
    const ids = [...new Set([...now.keys(), ...old.keys()])];
    return ids.flatMap((value) => fieldChanges(old.get(value), now.get(value), `${path}[${key.label}=${value}]`));
  }
  if (WHOLE_ITEM_LISTS.has(path.split('.').pop() ?? '')) return wholeItemChanges(before, after, path);
  // Index by index: a changed item as its fields, an item past the other list's end added or removed, value and all.
  return Array.from({ length: Math.max(before.length, after.length) }, (_, index) => fieldChanges(before[index], after[index], `${path}[${index}]`)).flat();
}

/** Items in both lists (in any order) are unchanged; every other one is removed (its old index) or added (its new). */
function wholeItemChanges(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
  const unmatched = [...after.keys()];
  const removed: FieldChange[] = [];
  before.forEach((item, index) => {
    const match = unmatched.findIndex((other) => isDeepStrictEqual(after[other], item));
    if (match >= 0) unmatched.splice(match, 1);
    else removed.push({ path: `${path}[${index}]`, old: item });
  });
  return [...removed, ...unmatched.map((index) => ({ path: `${path}[${index}]`, new: after[index] }))];
}

/** The first key that every item of both lists has as a string or number, distinct within each list. */
function listKey(before: readonly unknown[], after: readonly unknown[]): ListKey | undefined {
  if (before.length + after.length === 0) return undefined;
  const keyed = (items: readonly unknown[], key: ListKey) => {
    const values = items.map((item) => (isObject(item) ? key.of(item) : undefined));
    return values.every((value) => typeof value === 'string' || typeof value === 'number') && new Set(values).size === values.length;
  };
  return LIST_KEYS.find((key) => keyed(before, key) && keyed(after, key));
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

/** `path: old -> new`, `path: + new`, `path: - old`. */
export function describeChange(change: FieldChange): string {
  if (!('old' in change)) return `${change.path}: + ${shownValue(change.new)}`;
  if (!('new' in change)) return `${change.path}: - ${shownValue(change.old)}`;
  return `${change.path}: ${shownChange(change.old, change.new)}`;
}
