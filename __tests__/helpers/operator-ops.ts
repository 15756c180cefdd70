/**
 * `npm run ops` outputs created beside platforms the real KubeBlocks v1.0.2 operator has reconciled, and what the
 * operator says of each. The operator first validates an OpsRequest's spec against the Cluster (`ValidateOps`:
 * components, replicas, volumes, the switchover candidate...), then checks that the Cluster is in a phase the
 * operation may start from (kubeblocks v1.0.2 pkg/operations/ops_manager.go `Do`, then
 * `doPreConditionAndTransPhaseToCreating` and apis/operations/v1alpha1/opsrequest_validation.go
 * `ValidateClusterPhase`). With no pod running, a Cluster seldom reaches a phase an operation starts from, so an
 * operation that passes the first check is mostly refused by the second with exactly `OpsRequest.spec.type=<type> is
 * forbidden when Cluster.status.phase=<phase>`; any other refusal is the operator's verdict on our spec. A Restore creates a
 * Cluster and needs a completed Backup, which no pod makes here: the operator's answer names the backup it looked for
 * (pkg/operations/restore.go `restoreClusterFromBackup`).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ControlPlane } from './cluster';
import { until } from './kubeblocks-operator';

const ROOT = path.join(__dirname, '..', '..');

type Obj = Record<string, any>;
export type Op = [platform: string, operation: string, cluster: string, options: string[]];

/** Every kind of operation of `npm run ops` on 1.0 (as __tests__/cluster/ops.test.ts), and a Backup of Milvus. */
export const OPS: Op[] = [
  ['default', 'restart', 'postgresql', []], ['default', 'stop', 'redis', []], ['default', 'start', 'redis', []],
  ['default', 'vscale', 'postgresql', ['--cpu', '2', '--memory', '4Gi']], ['default', 'hscale', 'postgresql', ['--replicas', '3']],
  ['default', 'hscale', 'qdrant', ['--replicas', '5']], ['default', 'volume-expand', 'qdrant', ['--storage', '50Gi']],
  ['default', 'backup', 'redis', []], ['default', 'backup', 'postgresql', []], ['default', 'backup', 'qdrant', []],
  ['default', 'switchover', 'postgresql', ['--candidate', 'postgresql-postgresql-1', '--from', 'postgresql-postgresql-0']],
  ['default', 'restore', 'redis', ['--backup', 'redis-nightly']],
  // Milvus's etcd matches the etcd addon's BackupPolicyTemplate too: two default policies, so the Backup must name one.
  ['milvus', 'backup', 'milvus', []],
];

const SETTLED = new Set(['Failed', 'Creating', 'Running', 'Succeed', 'Cancelled', 'Aborted']);

/** Runs `npm run ops`, creates its OpsRequest (`kubectl create`, it has a generateName), and waits for the operator's word. */
export async function createOps(cluster: ControlPlane, configDir: string, platform: string, operation: string, target: string, options: string[]): Promise<Obj> {
  const ops = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), platform, operation, target, ...options], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIFY_CONFIG_DIR: configDir },
  });
  if (ops.status !== 0) throw new Error(`npm run ops exited ${ops.status}: ${ops.stderr}`);
  return createOpsObject(cluster, ops.stdout);
}

/** Creates an OpsRequest (YAML or JSON text, or an object) and waits until the operator has said what it makes of it. */
async function createOpsObject(cluster: ControlPlane, opsRequest: string | Obj): Promise<Obj> {
  const text = typeof opsRequest === 'string' ? opsRequest : JSON.stringify(opsRequest);
  const created = JSON.parse(cluster.kubectlOk(['create', '-o', 'json', '-f', '-'], text)) as Obj;
  const ref = ['-n', created.metadata.namespace, 'opsrequests.operations.kubeblocks.io', created.metadata.name];
  let object: Obj = created;
  await until(`OpsRequest ${created.metadata.name} handled by the operator`, 120000, () => {
    object = JSON.parse(cluster.kubectlOk(['get', '-o', 'json', ...ref]));
    return SETTLED.has(object.status?.phase);
  }, () => JSON.stringify(object.status ?? {}));
  return object;
}

/** The operator's verdict: the phase, and the message of the condition that says why it failed, if it did. */
export function opsVerdict(opsRequest: Obj): { phase: string; message?: string } {
  const phase = opsRequest.status?.phase as string;
  if (phase !== 'Failed') return { phase };
  const failed = (opsRequest.status?.conditions ?? []).filter((c: Obj) => c.status === 'False' || c.reason?.includes('Fail'));
  return { phase, message: failed[failed.length - 1]?.message };
}

/**
 * Whether the operator accepted the spec: it went on (Creating, Running, Succeed: the Cluster was in a phase the
 * operation starts from), or was refused only by the Cluster-phase check, which comes after the spec's validation.
 * A Restore is accepted when the operator went looking for the backup it names.
 */
export function accepted(opsRequest: Obj): boolean {
  const { phase, message } = opsVerdict(opsRequest);
  if (opsRequest.spec.type === 'Restore') {
    const restore = opsRequest.spec.restore;
    return message === `backup ${restore.backupName} not found in namespace ${restore.backupNamespace ?? opsRequest.metadata.namespace}`;
  }
  if (phase !== 'Failed') return ['Creating', 'Running', 'Succeed'].includes(phase);
  return /^OpsRequest\.spec\.type=\w+ is forbidden when Cluster\.status\.phase=\w+$/.test(message ?? '')
    && message!.startsWith(`OpsRequest.spec.type=${opsRequest.spec.type} `);
}

/** The BackupPolicy a Backup OpsRequest names, as the operator made it: its phase, and the method if it has it. */
export function backupPolicyOf(cluster: ControlPlane, opsRequest: Obj): { policy?: string; method?: string } {
  const name = opsRequest.spec.backup?.backupPolicyName;
  if (!name) return {};
  const found = cluster.kubectl(['get', '-o', 'json', '-n', opsRequest.metadata.namespace, 'backuppolicies.dataprotection.kubeblocks.io', name]);
  if (found.status !== 0) return { policy: `not found: ${found.stderr.trim()}` };
  const policy = JSON.parse(found.stdout) as Obj;
  const method = (policy.spec.backupMethods ?? []).find((m: Obj) => m.name === opsRequest.spec.backup.backupMethod);
  return { policy: policy.status?.phase, method: method?.name };
}
