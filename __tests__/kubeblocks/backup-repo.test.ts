import { Chart, Testing } from 'cdk8s';
import { BackupRepo } from '../../lib/kubeblocks/backup-repo';

// No BackupRepo CRD ships in ../shared/kubeblocks, so these tests pin the shape read from KubeBlocks' API types
// (dataprotection.kubeblocks.io/v1alpha1 BackupRepoSpec) instead of validating against a schema.
function synthRepo(props: ConstructorParameters<typeof BackupRepo>[2]) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'dify' });
  new BackupRepo(chart, 'Repo', props);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('BackupRepo', () => {
  test('is cluster-scoped, the default repo, and keeps its volumes when deleted', () => {
    const repo = synthRepo({ provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', credentialsSecret: { name: 'minio-creds' } });

    expect(repo.metadata.namespace).toBeUndefined();
    expect(repo.metadata.annotations).toEqual({ 'dataprotection.kubeblocks.io/is-default-repo': 'true' });
    expect(repo.spec).toEqual({
      storageProviderRef: 'minio',
      accessMethod: 'Tool',
      config: { bucket: 'kb-backups', endpoint: 'http://minio.backup:9000' },
      credential: { name: 'minio-creds', namespace: 'kb-system' },
      pvReclaimPolicy: 'Retain',
    });
  });

  test('a second repo can stay out of the default role', () => {
    const repo = synthRepo({ name: 'archive', provider: 's3', bucket: 'archive', region: 'eu-west-1', credentialsSecret: { name: 's3', namespace: 'ops' },
      pathPrefix: 'dify', default: false });

    expect(repo.metadata.name).toBe('archive');
    expect(repo.metadata.annotations).toBeUndefined();
    expect(repo.spec.config).toEqual({ bucket: 'archive', region: 'eu-west-1' });
    expect(repo.spec.pathPrefix).toBe('dify');
    expect(repo.spec.credential).toEqual({ name: 's3', namespace: 'ops' });
  });
});
