/**
 * What applying a platform's new file would do to the cluster, object by object: created, changed, deleted. Risky
 * entries are marked: objects that hold data (KubeBlocks Clusters, PersistentVolumeClaims) going away or changing.
 */
import { isDeepStrictEqual } from 'util';
import { FieldChange, fieldChanges } from './field-diff';
import { ObjectLike } from './platform-state';
import { podRollout } from './pod-rollout';

export interface PlannedChange {
  readonly action: 'create' | 'change' | 'delete';
  /** `Kind/name` (in the object's namespace). */
  readonly object: string;
  /** Holds data: a change or deletion here deserves a second look. */
  readonly risky: boolean;
  /** For a change: each field that differs, old and new; for a move, what differs between the two files' copies. */
  readonly fields?: readonly FieldChange[];
  /** For a change that restarts or replaces running pods: how (`rolls pods`), see pod-rollout.ts. */
  readonly rollsPods?: string;
  /** A creation that is the object leaving another file of the folder (applied as one unit, it stays in the cluster). */
  readonly movedFrom?: string;
  /** A deletion that is the object going to another file of the folder. */
  readonly movedTo?: string;
}

/** An object and the file of the folder that holds it. */
export interface FiledObject {
  readonly file: string;
  readonly object: ObjectLike;
}

/** The kinds whose objects hold data: KubeBlocks Clusters, volume claims, and StatefulSets with claim templates (MinIO). */
export const DATA_KINDS: ReadonlySet<string> = new Set(['Cluster', 'PersistentVolumeClaim', 'StatefulSet']);

/** How a change names its object: `Kind/name` or `Kind/namespace/name`. */
export function keyOf(object: ObjectLike): string {
  return `${object.kind}/${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
}

/** The changes from `previous` to `next`, deletions last, each group in name order. */
export function planChanges(previous: readonly ObjectLike[], next: readonly ObjectLike[]): PlannedChange[] {
  const before = new Map(previous.map((object) => [keyOf(object), object]));
  const after = new Map(next.map((object) => [keyOf(object), object]));
  const change = (action: PlannedChange['action'], key: string, object: ObjectLike): PlannedChange => {
    const fields = action === 'change' ? fieldChanges(before.get(key), object) : undefined;
    const rollsPods = fields && podRollout(object.kind, fields);
    return { action, object: key, risky: action !== 'create' && DATA_KINDS.has(object.kind ?? ''), ...(fields ? { fields } : {}), ...(rollsPods ? { rollsPods } : {}) };
  };
  const sorted = (keys: Iterable<string>) => [...keys].sort();
  return [
    ...sorted(after.keys()).filter((key) => !before.has(key)).map((key) => change('create', key, after.get(key)!)),
    ...sorted(after.keys()).filter((key) => before.has(key) && !isDeepStrictEqual(before.get(key), after.get(key))).map((key) => change('change', key, after.get(key)!)),
    ...sorted(before.keys()).filter((key) => !after.has(key)).map((key) => change('delete', key, before.get(key)!)),
  ];
}

/**
 * One file's change, told truthfully when the object is in another file of the folder before or after: dist/ is
 * applied as one unit, so an object that moves between platform files (a shared BackupRepo whose first platform was
 * removed) is neither deleted nor created. `before` and `after` hold every object of the folder by {@link keyOf}.
 */
export function withMove(change: PlannedChange, file: string, before: ReadonlyMap<string, FiledObject>, after: ReadonlyMap<string, FiledObject>): PlannedChange {
  const from = change.action === 'create' ? before.get(change.object) : undefined;
  if (from && from.file !== file) return { ...change, movedFrom: from.file, fields: fieldChanges(from.object, after.get(change.object)?.object) };
  const to = change.action === 'delete' ? after.get(change.object) : undefined;
  if (to && to.file !== file) return { ...change, risky: false, movedTo: to.file };
  return change;
}
