import { hardenEnv, hardenObjects, HardeningRules, unpinnedImage } from '../../../lib/dify/chart/harden';

const APP_SECRET = { name: 'dify-app-secrets', key: 'SECRET_KEY' };
const RULES: HardeningRules = {
  secretEnv: new Map([['SECRET_KEY', APP_SECRET]]),
  componentEnv: { api: [{ name: 'MIGRATION_ENABLED', value: 'false' }] },
  foreignEnv: { api: ['PLACEHOLDER'] },
  initContainers: { api: [{ name: 'wait-for-database', image: 'postgres:16.9-alpine' }] },
  volumes: { api: [{ name: 'schema-heads', emptyDir: {} }] },
  syncWave: '3',
  labels: { 'app.kubernetes.io/version': '1.13.3' },
};

function deployment(component: string, container: Record<string, unknown>): Record<string, any> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `dify-${component}` },
    spec: { template: { metadata: { labels: { 'app.kubernetes.io/component': component } }, spec: { containers: [{ name: component, ...container }] } } },
  };
}

/** The error lines hardening gives for `objects`, or none. */
function refusals(objects: Record<string, any>[]): string[] {
  try {
    hardenObjects(objects, RULES);
    return [];
  } catch (error) {
    return (error as Error).message.split('\n');
  }
}

describe('hardening a chart\'s rendered objects', () => {
  test('a key the chart writes as a value comes from the platform\'s Secret instead, and the component\'s variables are set', () => {
    const [hardened] = hardenObjects([deployment('api', {
      image: 'langgenius/dify-api:1.13.3',
      env: [{ name: 'SECRET_KEY', value: 'PleaseReplaceThisToYourSecretOrUse' }, { name: 'MIGRATION_ENABLED', value: 'true' }, { name: 'PLACEHOLDER', value: 'x' }],
    })], RULES);
    const pod = hardened.spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'SECRET_KEY', valueFrom: { secretKeyRef: APP_SECRET } },
      { name: 'MIGRATION_ENABLED', value: 'false' },
    ]);
    expect(pod.initContainers.map((container: { name: string }) => container.name)).toEqual(['wait-for-database']);
    expect(pod.volumes).toEqual([{ name: 'schema-heads', emptyDir: {} }]);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(hardened.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
    expect(hardened.metadata.labels['app.kubernetes.io/version']).toBe('1.13.3');
    expect(hardened.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/component': 'api' });
  });

  test('another component keeps its variables, gets no init container and only the key replacements', () => {
    const [hardened] = hardenObjects([deployment('frontend', { image: 'langgenius/dify-web:1.13.3', env: [{ name: 'PLACEHOLDER', value: 'x' }] })], RULES);
    expect(hardened.spec.template.spec.containers[0].env).toEqual([{ name: 'PLACEHOLDER', value: 'x' }]);
    expect(hardened.spec.template.spec.initContainers).toBeUndefined();
  });

  test('a chart volume named like the platform\'s own is refused, not silently shadowed', () => {
    const clash = deployment('api', { image: 'langgenius/dify-api:1.13.3' });
    clash.spec.template.spec.volumes = [{ name: 'schema-heads', hostPath: { path: '/' } }];
    expect(refusals([clash])).toEqual(["Deployment dify-api: volume schema-heads is the platform's own (its schema check): rename the chart's"]);
  });

  test('the rendered objects given are not changed', () => {
    const original = deployment('api', { image: 'langgenius/dify-api:1.13.3', env: [{ name: 'SECRET_KEY', value: 'x' }] });
    const copy = structuredClone(original);
    hardenObjects([original], RULES);
    expect(original).toEqual(copy);
  });

  test('a variable given twice is kept once, at its first place, with the last value (what Kubernetes takes)', () => {
    const problems: string[] = [];
    const env = hardenEnv([{ name: 'A', value: '1' }, { name: 'B', value: '$(A)' }, { name: 'A', value: '2' }], [], new Map(), 'x', problems);
    expect(env).toEqual([{ name: 'A', value: '2' }, { name: 'B', value: '$(A)' }]);
    expect(problems).toEqual([]);
  });

  test('a $(VAR) used before its variable is defined is refused: Kubernetes would pass it on unexpanded', () => {
    const problems: string[] = [];
    hardenEnv([{ name: 'URL', value: 'redis://:$(PASSWORD)@redis:6379/1' }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }],
      [], new Map(), 'Deployment dify-api: container api', problems);
    expect(problems).toEqual(['Deployment dify-api: container api: URL uses $(PASSWORD) before it is defined, so Kubernetes would not expand it']);
  });

  test.each<[string, Record<string, any>, string]>([
    ['a credential the platform has no key for', deployment('api', { image: 'a:1', env: [{ name: 'OPENAI_API_KEY', value: 'sk-1' }] }),
      'Deployment dify-api: container api: OPENAI_API_KEY is a credential written as a value; give it by a secretKeyRef in dify.chart.values'],
    ['an image without a tag', deployment('api', { image: 'langgenius/dify-sandbox' }),
      'Deployment dify-api: container api: image langgenius/dify-sandbox is not pinned to a tag other than latest or a digest: every node could pull a different image'],
    ['an image on latest', deployment('worker', { image: 'langgenius/dify-sandbox:latest' }),
      'Deployment dify-worker: container worker: image langgenius/dify-sandbox:latest is not pinned to a tag other than latest or a digest: every node could pull a different image'],
    ['a Secret with its values', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dify' }, stringData: { SECRET_KEY: 'x' } },
      'Secret dify: a Secret with its values in the manifest would put them in git; the platform\'s Secrets hold every key'],
    ['a Helm hook', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dify-test', annotations: { 'helm.sh/hook': 'test' } } },
      'Pod dify-test: is a Helm hook (test), which kubectl apply and GitOps tools would run as an ordinary object'],
    ['an API Kubernetes no longer serves', { apiVersion: 'autoscaling/v2beta1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'dify-api' } },
      'HorizontalPodAutoscaler dify-api: apiVersion autoscaling/v2beta1 is not served by Kubernetes 1.25 or later'],
  ])('%s is refused, naming the object', (_case, object, line) => {
    expect(refusals([object])).toEqual([line]);
  });

  test('every refusal of every object is reported at once', () => {
    expect(refusals([deployment('api', { image: 'a' }), deployment('worker', { image: 'b:latest' })])).toHaveLength(2);
  });

  test.each([['langgenius/dify-api:1.13.3', undefined], ['registry.example.com:5000/dify-api@sha256:' + 'a'.repeat(64), undefined],
    ['dify-api:1.0@sha256:' + 'b'.repeat(64), undefined]])('%s is pinned', (image, problem) => {
    expect(unpinnedImage(image)).toBe(problem);
  });
});
