/** ServiceAccounts, a secret manager, the other storage types and the sandbox's packages land where they are read. */
import { DifyPlatformProps } from '../../lib';
import { byKindAndName, envOf, mainContainer, podSpec } from '../helpers/dify';
import { EVERY_REMAINING_SETTING } from '../helpers/platforms';
import { synthPlatform } from '../helpers/synth';

describe('identities, secrets, storage, packages', () => {
  const objects = synthPlatform(EVERY_REMAINING_SETTING);

  test('a created ServiceAccount carries its annotations; the pods run as it, or as an existing one, without a token', () => {
    const account = byKindAndName(objects, 'ServiceAccount', 'dify-api');

    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/dify');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-api'))).toMatchObject({ serviceAccountName: 'dify-api', automountServiceAccountToken: false });
    expect(podSpec(byKindAndName(objects, 'Deployment', 'dify-worker')).serviceAccountName).toBe('dify-workload-identity');
    expect(objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'dify-workload-identity')).toBe(false);
  });

  test('an ExternalSecret fills the app Secret instead of the bootstrap Job, and the workloads read it', () => {
    const external = byKindAndName(objects, 'ExternalSecret', 'dify-app-secrets');

    expect(external.spec).toEqual({ refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'dify-app-secrets', creationPolicy: 'Owner' }, dataFrom: [{ extract: { key: 'prod/dify' } }] });
    expect(objects.some((o) => o.metadata.name.startsWith('dify-bootstrap'))).toBe(false);
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api'))).SECRET_KEY).toBe('secret:dify-app-secrets/SECRET_KEY');
  });

  test('Azure Blob, Google Cloud Storage and Aliyun OSS get Dify\'s variables, credentials only by reference', () => {
    const apiEnv = (props: DifyPlatformProps) => envOf(mainContainer(byKindAndName(synthPlatform(props), 'Deployment', 'dify-api')));

    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')))).toMatchObject({
      STORAGE_TYPE: 'azure-blob', AZURE_BLOB_ACCOUNT_NAME: 'difyfiles', AZURE_BLOB_CONTAINER_NAME: 'dify',
      AZURE_BLOB_ACCOUNT_URL: 'https://difyfiles.blob.core.windows.net', AZURE_BLOB_ACCOUNT_KEY: 'secret:dify-azure/account-key',
    });
    const google = apiEnv({ dify: { storage: { type: 'google-storage', googleStorage: { bucket: 'dify-files' } } } });
    expect(google).toMatchObject({ STORAGE_TYPE: 'google-storage', GOOGLE_STORAGE_BUCKET_NAME: 'dify-files' });
    expect(google.GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64).toBeUndefined();
    expect(apiEnv({ dify: { storage: { type: 'aliyun-oss', aliyunOss: { bucket: 'dify-files', endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      region: 'cn-hangzhou', credentialsSecret: 'oss' } } } })).toMatchObject({
      STORAGE_TYPE: 'aliyun-oss', ALIYUN_OSS_AUTH_VERSION: 'v4', ALIYUN_OSS_ACCESS_KEY: 'secret:oss/access-key', ALIYUN_OSS_SECRET_KEY: 'secret:oss/secret-key',
    });
  });

  test('the sandbox finds its Python requirements where it reads them', () => {
    const sandbox = byKindAndName(objects, 'Deployment', 'dify-sandbox');
    const configMap = byKindAndName(objects, 'ConfigMap', /^dify-sandbox-python-requirements-[0-9a-f]{8}$/);

    expect(configMap.data['python-requirements.txt']).toBe('numpy==1.26.4\npandas[excel]==2.2.3\n');
    expect(mainContainer(sandbox).volumeMounts).toEqual([{ name: 'python-requirements', mountPath: '/dependencies/python-requirements.txt',
      subPath: 'python-requirements.txt', readOnly: true }]);
    expect(podSpec(sandbox).volumes).toEqual([{ name: 'python-requirements', configMap: { name: configMap.metadata.name } }]);
  });

  test.each<[string, DifyPlatformProps, string]>([
    ['a ServiceAccount neither created nor named', { dify: { api: { serviceAccount: {} } } },
      'dify.api.serviceAccount: {} is not allowed: needs create: true, or the name of a ServiceAccount that exists'],
    ['both a secret manager and an existing Secret', { dify: { existingSecret: 'mine', externalSecret: { secretStoreRef: { name: 'vault' }, remoteKey: 'k' } } },
      'dify.externalSecret: "k" is not allowed: is one way to provide the app Secret and existingSecret is another'],
    ['an unpinned sandbox package', { dify: { sandbox: { pythonRequirements: ['numpy>=1.26'] } } },
      'dify.sandbox.pythonRequirements[0]: "numpy>=1.26" is not allowed: must be a pinned package such as numpy==1.26.4'],
    ['a storage type without its settings', { dify: { storage: { type: 'azure-blob' } } },
      'dify.storage.azureBlob: nothing is not allowed: storage type azure-blob needs its settings under dify.storage.azureBlob'],
    ['a data-tier toleration that cannot match', { postgresql: { scheduling: { tolerations: [{ operator: 'Equal' }] } } },
      'postgresql.scheduling.tolerations[0].operator: "Equal" is not allowed: must be Exists when the key is empty'],
  ])('%s is refused', (_case, props, expected) => {
    expect(() => synthPlatform(props)).toThrow(expected);
  });
});
