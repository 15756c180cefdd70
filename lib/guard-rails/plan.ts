/**
 * What applying a platform's new file would do to the cluster, object by object: created, changed, deleted. Risky
 * entries are marked: objects that hold data (KubeBlocks Clusters, PersistentVolumeClaims) going away or changing.
 */
import { isDeepStrictEqual } from 'util';
import { FieldChange, fieldChanges } from './field-diff';
import { ObjectLike } from './platform-state';

export interface PlannedChange {
  readonly action: 'create' | 'change' | 'delete';
  /** `Kind/name` (in the object's namespace). */
  readonly object: string;
  /** Holds data: a change or deletion here deserves a second look. */
  readonly risky: boolean;
  /** For a change: each field that differs, old and new. */
  readonly fields?: readonly FieldChange[];
}

/** The kinds whose objects hold data: KubeBlocks Clusters, volume claims, and StatefulSets with claim templates (MinIO). */
export const DATA_KINDS: ReadonlySet<string> = new Set(['Cluster', 'PersistentVolumeClaim', 'StatefulSet']);

function keyOf(object: ObjectLike): string {
  return `${object.kind}/${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
}

/** The changes from `previous` to `next`, deletions last, each group in name order. */
export function planChanges(previous: readonly ObjectLike[], next: readonly ObjectLike[]): PlannedChange[] {
  const before = new Map(previous.map((object) => [keyOf(object), object]));
  const after = new Map(next.map((object) => [keyOf(object), object]));
  const change = (action: PlannedChange['action'], key: string, object: ObjectLike): PlannedChange => ({
    action, object: key, risky: action !== 'create' && DATA_KINDS.has(object.kind ?? ''),
    ...(action === 'change' ? { fields: fieldChanges(before.get(key), object) } : {}),
  });
  const sorted = (keys: Iterable<string>) => [...keys].sort();
  return [
    ...sorted(after.keys()).filter((key) => !before.has(key)).map((key) => change('create', key, after.get(key)!)),
    ...sorted(after.keys()).filter((key) => before.has(key) && !isDeepStrictEqual(before.get(key), after.get(key))).map((key) => change('change', key, after.get(key)!)),
    ...sorted(before.keys()).filter((key) => !after.has(key)).map((key) => change('delete', key, before.get(key)!)),
  ];
}
