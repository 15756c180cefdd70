import { DifyPlatformProps } from '../lib';
import { shippedConfigs } from './helpers/configs';
import { schemaValidator } from './helpers/schema-validator';
import { synthPlatform } from './helpers/synth';

const validate = schemaValidator();

/** Beyond the shipped configs: every optional setting in use, on both release lines. */
const VARIATIONS: Record<string, DifyPlatformProps> = {
  'every setting on 1.0': {
    namespace: 'team-a',
    postgresql: {
      version: '18.1.0', replicas: 3, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '4Gi' } },
      storage: { size: '5Gi', storageClass: 'fast.ssd' }, terminationPolicy: 'WipeOut',
      spread: { antiAffinity: 'Required', topologyKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] },
    },
    redis: { version: '8.4.0', sentinel: { replicas: 5, storage: { size: '512Mi', storageClass: 'standard' } } },
    qdrant: { version: '1.5.0', replicas: 1, spread: { antiAffinity: 'None' }, terminationPolicy: 'Delete' },
  },
  'every setting on 0.9': {
    kubeblocks: { releaseLine: '0.9' },
    postgresql: { componentName: 'pg', terminationPolicy: 'Halt', spread: { antiAffinity: 'Required' }, storage: { storageClass: 'x' } },
    redis: { componentName: 'data', sentinel: { componentName: 'sentinel', replicas: 3 }, spread: { antiAffinity: 'None' } },
    qdrant: { version: '1.8.1', spread: { topologyKeys: [] } },
  },
  'every Dify option': {
    dify: {
      host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' }, redisMode: 'sentinel', existingSecret: 'mine',
      ingress: { className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'le' } },
      storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 's3' } },
      pluginStorage: { size: '5Gi', storageClass: 'fast' },
      backendEnv: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }],
      worker: { replicas: 3, env: [{ name: 'B', value: '1' }] }, sandbox: { replicas: 2 }, ssrfProxy: { replicas: 2 },
    },
  },
  'Dify 0.6.11 on KubeBlocks 1.0 with a shared volume': { dify: { version: '0.6.11', storage: { type: 'volume' }, ingress: { enabled: false } } },
};

const PLATFORMS: [string, DifyPlatformProps][] = [
  ...shippedConfigs().map((config): [string, DifyPlatformProps] => [`config/${config.name}`, config.props]),
  ...Object.entries(VARIATIONS),
];

describe('schema validation of synthesized objects', () => {
  test.each(PLATFORMS)('every object of %s is valid against its Kubernetes or KubeBlocks schema', (_name, props) => {
    const objects = synthPlatform(props);

    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(validate)).toEqual([]);
  });
});

describe('the validator itself', () => {
  const cluster = synthPlatform().find((object) => object.kind === 'Cluster')!;

  test('refuses a Cluster field the CRD does not declare', () => {
    const typo = { ...cluster, spec: { ...cluster.spec, terminatonPolicy: 'Delete' } };

    expect(validate(typo)).toEqual([expect.stringContaining('must NOT have additional properties')]);
  });

  test('refuses a value of the wrong type and a quantity that is not one', () => {
    const [component] = cluster.spec.componentSpecs;
    const broken = { ...cluster, spec: { ...cluster.spec, componentSpecs: [{ ...component, replicas: 'two', resources: { limits: { memory: '2GB' } } }] } };

    expect(validate(broken).join('\n')).toMatch(/replicas must be integer[\s\S]*memory must match pattern/);
  });

  test('refuses a 1.0 field on the 0.9 API version', () => {
    expect(validate({ ...cluster, apiVersion: 'apps.kubeblocks.io/v1alpha1' })).toEqual(
      expect.arrayContaining([expect.stringContaining('must NOT have additional properties')]));
  });

  test('refuses a core object that breaks the Kubernetes schema', () => {
    expect(validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 1 } } as any)).toHaveLength(1);
  });

  test('refuses a kind it has no schema for, rather than passing it', () => {
    expect(validate({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual(['example.com/v1 Widget: no schema known for this kind']);
  });
});
