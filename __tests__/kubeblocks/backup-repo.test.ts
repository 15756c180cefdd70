import { Chart, Testing } from 'cdk8s';
import { BackupRepo } from '../../lib/kubeblocks/backup-repo';
import { schemaValidator } from '../helpers/schema-validator';
import { describeWithThirdParty } from '../helpers/third-party';

const validate = schemaValidator();

/**
 * The repo's one object, valid against KubeBlocks' BackupRepo CRD (the third-party crds/kubeblocks, the same at 0.9.5
 * and 1.0.2; not validated where that folder is absent, which the summary lists).
 */
function synthRepo(props: ConstructorParameters<typeof BackupRepo>[2]) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'dify' });
  new BackupRepo(chart, 'Repo', props);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  expect(validate(objects[0])).toEqual([]);
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

  test('its credentials Secret is looked up where KubeBlocks runs, unless it names its own namespace', () => {
    const repo = synthRepo({ provider: 'minio', bucket: 'b', endpoint: 'http://minio:9000', credentialsSecret: { name: 'creds' }, operatorNamespace: 'kubeblocks' });
    expect(repo.spec.credential).toEqual({ name: 'creds', namespace: 'kubeblocks' });
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

  test('azureblob names a container, and its account comes from the Secret, not the repo object', () => {
    const repo = synthRepo({ provider: 'azureblob', container: 'dify-backups', endpoint: 'https://acct.blob.core.windows.net', credentialsSecret: { name: 'azure' } });
    expect(repo.spec.config).toEqual({ container: 'dify-backups', endpoint: 'https://acct.blob.core.windows.net' });
  });

  test('the regional clouds carry their region; a setting the provider does not declare is not written', () => {
    expect(synthRepo({ provider: 'oss', bucket: 'b-1', region: 'cn-hangzhou', credentialsSecret: { name: 'c' } }).spec.config).toEqual({ bucket: 'b-1', region: 'cn-hangzhou' });
    expect(synthRepo({ provider: 'azureblob', container: 'c-1', region: 'westeurope', credentialsSecret: { name: 'c' } }).spec.config).toEqual({ container: 'c-1' });
  });
});

describeWithThirdParty('the BackupRepo CRD test', 'crds/kubeblocks/1.0/dataprotection.kubeblocks.io_backuprepos.yaml')('BackupRepo against its CRD', () => {
  test('the CRD is really consulted: a policy it does not know is refused', () => {
    const repo = synthRepo({ provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', credentialsSecret: { name: 'minio-creds' } });
    expect(validate({ ...repo, spec: { ...repo.spec, pvReclaimPolicy: 'Keep' } }).join('\n')).toMatch(/pvReclaimPolicy/);
  });
});
