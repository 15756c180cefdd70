/**
 * `plan --live`: the plan against what a cluster holds instead of dist/. The command (cli/live-plan.ts) reads the
 * cluster with kubectl; this is the comparison, the same one `plan` makes, so both print alike.
 */
import { FieldChange } from '../guard-rails/field-diff';
import { keyOf, ObjectLike, planChanges, PlannedChange } from '../guard-rails';

/** Written by the API server on every object, never by a config: no difference a reviewer can act on. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];

/** The object without what the API server keeps for itself: the metadata it writes, and status. */
export function withoutServerFields(object: ObjectLike): ObjectLike {
  const { status: _status, ...rest } = object as ObjectLike & { status?: unknown };
  const metadata = Object.fromEntries(Object.entries(rest.metadata ?? {}).filter(([key]) => !SERVER_METADATA.includes(key)));
  return { ...rest, metadata } as ObjectLike;
}

/** What the cluster holds and what applying the platform would make of it. */
export interface LiveState {
  /** The platform's objects, as synth writes them. */
  readonly staged: readonly ObjectLike[];
  /** Those of them the cluster has, as it has them. */
  readonly live: readonly ObjectLike[];
  /** Those same objects as a server-side dry-run apply of the platform's returns them. */
  readonly dryRun: readonly ObjectLike[];
  /** Applied objects of the platform's that it no longer writes, which a prune deletes. */
  readonly pruned: readonly ObjectLike[];
}

/** A Secret's values are never printed, live or planned: only that one is added, removed or changed. */
function hidden(change: PlannedChange): PlannedChange {
  if (!change.object.startsWith('Secret/') || !change.fields) return change;
  const mask = (field: FieldChange): FieldChange => (!/^(data|stringData)(\.|\[|$)/.test(field.path) ? field : {
    path: field.path, ...('old' in field ? { old: '(hidden)' } : {}), ...('new' in field ? { new: 'old' in field ? '(hidden, changed)' : '(hidden)' } : {}),
  });
  return { ...change, fields: change.fields.map(mask) };
}

/**
 * The changes applying the platform would make: objects the cluster lacks are created, those the dry-run changes
 * are changed (field by field, server fields left out), and the applied objects the platform dropped are deleted
 * under a prune.
 */
export function liveChanges({ staged, live, dryRun, pruned }: LiveState): PlannedChange[] {
  const liveKeys = new Set(live.map(keyOf));
  const stagedKeys = new Set(staged.map(keyOf));
  const previous = [...live, ...pruned.filter((object) => !stagedKeys.has(keyOf(object)))].map(withoutServerFields);
  const next = [...dryRun, ...staged.filter((object) => !liveKeys.has(keyOf(object)))].map(withoutServerFields);
  return planChanges(previous, next).map(hidden);
}
