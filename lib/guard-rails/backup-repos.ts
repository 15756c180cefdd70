/**
 * A BackupRepo that no platform file writes any more would be deleted by a prune (`kubectl apply -k --prune`, a
 * GitOps tool's prune). KubeBlocks then sets it to phase Deleting, "so no new Backup can reference" it, and keeps it
 * there while any Backup refers to it (apecloud/kubeblocks controllers/dataprotection/backuprepo_controller.go,
 * `deleteExternalResources`, v1.0.2 and v0.9.5): every later backup into it fails. A repo that only moves to another
 * platform's file stays.
 */
import { isBackupRepo } from '../kubeblocks/shared-backup-repos';
import { FiledObject } from './plan';

/** The BackupRepos of `before` (every file of the folder) that no file of `after` holds, in name order. */
export function lostBackupRepos(before: ReadonlyMap<string, FiledObject>, after: ReadonlyMap<string, FiledObject>): FiledObject[] {
  return [...before.entries()].sort(([a], [b]) => a.localeCompare(b))
    .filter(([key, filed]) => isBackupRepo(filed.object) && !after.has(key)).map(([, filed]) => filed);
}
