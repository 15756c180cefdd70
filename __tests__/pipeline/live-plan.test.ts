import { liveChanges } from '../../lib/pipeline/live-plan';

const deployment = (replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dify-api', namespace: 'dify', labels: { 'app.kubernetes.io/part-of': 'dify' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'api', image: 'a:1' }] } } }, ...extra,
});
const server = { status: { readyReplicas: 1 } };
const serverMetadata = { uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }] };
const withServer = (object: ReturnType<typeof deployment>, generation = 2) => ({ ...object, ...server, metadata: { ...object.metadata, ...serverMetadata, generation } });

describe('plan --live: the comparison', () => {
  test('what the server keeps for itself is no difference: the same object live and dry-run is nothing to do', () => {
    const live = withServer(deployment(1));
    expect(liveChanges({ staged: [deployment(1)], live: [live], dryRun: [withServer(deployment(1), 3)], pruned: [] })).toEqual([]);
  });

  test('a field the dry-run changes is a change, with its path; an object the cluster lacks is to create; a dropped applied object is to delete', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'dify' }, data: { a: '1' } };
    const old = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'dify-migrate-1-15-0', namespace: 'dify' } };
    const changes = liveChanges({ staged: [deployment(2), configMap], live: [withServer(deployment(1))], dryRun: [withServer(deployment(2), 3)], pruned: [old] });
    expect(changes).toEqual([
      { action: 'create', object: 'ConfigMap/dify/new', risky: false },
      { action: 'change', object: 'Deployment/dify/dify-api', risky: false, fields: [{ path: 'spec.replicas', old: 1, new: 2 }] },
      { action: 'delete', object: 'Job/dify/dify-migrate-1-15-0', risky: false },
    ]);
  });

  test('a Secret\'s values are never shown, only that they changed', () => {
    const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'dify' }, data: { password: value } });
    const changes = liveChanges({ staged: [secret('b3RoZXI=')], live: [secret('c2VjcmV0')], dryRun: [secret('b3RoZXI=')], pruned: [] });
    expect(changes).toEqual([{ action: 'change', object: 'Secret/dify/s', risky: false, fields: [{ path: 'data.password', old: '(hidden)', new: '(hidden, changed)' }] }]);
  });
});
