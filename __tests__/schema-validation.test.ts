import { PLATFORMS } from './helpers/platforms';
import { schemaValidator } from './helpers/schema-validator';
import { synthPlatform } from './helpers/synth';
import { describeWithThirdParty } from './helpers/third-party';

const validate = schemaValidator();

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

describeWithThirdParty('the Gateway API CRD test', 'crds/gateway-api/v1.6.1/gateway.networking.k8s.io_httproutes.yaml')('the validator with the third-party CRDs', () => {
  test('refuses a Gateway API HTTPRoute that its CRD refuses', () => {
    const route = synthPlatform({ dify: { gateway: { parentRefs: [{ name: 'public' }] } } }).find((object) => object.kind === 'HTTPRoute')!;
    const broken = { ...route, spec: { ...route.spec, rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] } };

    expect(validate(route)).toEqual([]);
    expect(validate(broken).join('\n')).toMatch(/must be equal to one of the allowed values/);
  });
});
