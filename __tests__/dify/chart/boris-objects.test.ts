import { layOutBorisObjects, unreplacedChartSecrets } from '../../../lib/dify/chart/boris-objects';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The shape BorisPolonsky's chart renders a component in: labels `component`, env by envFrom of its ConfigMap and Secret. */
function rendered(): Record<string, any>[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dify-api' }, data: { MODE: 'api', MIGRATION_ENABLED: 'true', LOG_LEVEL: 'WARN' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dify-api' }, data: { SECRET_KEY: b64('chart-default'), DB_PASSWORD: b64('') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dify-proxy' }, data: { 'nginx.conf': 'events {}' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mounted' }, data: { 'ca.crt': '...' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dify-api', labels: { component: 'api' } }, spec: { selector: { 'app.kubernetes.io/name': 'dify', component: 'api' } } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dify-api', labels: { component: 'api' } },
      spec: {
        selector: { matchLabels: { component: 'api' } },
        template: {
          metadata: { labels: { component: 'api' }, annotations: { 'checksum/api-config': 'abc', 'checksum/api-secret': 'def', keep: 'me' } },
          spec: {
            containers: [{
              name: 'api', image: 'langgenius/dify-api:1.16.1',
              env: [{ name: 'LOG_LEVEL', value: 'INFO' }],
              envFrom: [{ configMapRef: { name: 'dify-api' } }, { secretRef: { name: 'dify-api' } }, { secretRef: { name: 'users-own' } }],
            }],
            volumes: [{ name: 'ca', configMap: { name: 'mounted' } }],
          },
        },
      },
    },
  ];
}

describe('BorisPolonsky\'s chart laid out the platform\'s way', () => {
  const { objects, replacedSecrets } = layOutBorisObjects(rendered(), 'dify');
  const deployment = objects.find((object) => object.kind === 'Deployment')!;
  const container = deployment.spec.template.spec.containers[0];

  test('pods, objects and Service selectors carry app.kubernetes.io/component beside component; the Deployment selector is untouched', () => {
    expect(deployment.metadata.labels).toEqual({ component: 'api', 'app.kubernetes.io/component': 'api' });
    expect(deployment.spec.template.metadata.labels).toEqual({ component: 'api', 'app.kubernetes.io/component': 'api' });
    expect(deployment.spec.selector).toEqual({ matchLabels: { component: 'api' } });
    expect(objects.find((object) => object.kind === 'Service')!.spec.selector).toEqual({ 'app.kubernetes.io/name': 'dify', component: 'api', 'app.kubernetes.io/component': 'api' });
  });

  test('the chart\'s ConfigMap and Secret become the container\'s env, its own entries winning; an empty Secret entry is left unset', () => {
    expect(container.env).toEqual([
      { name: 'MODE', value: 'api' },
      { name: 'MIGRATION_ENABLED', value: 'true' },
      { name: 'SECRET_KEY', valueFrom: { secretKeyRef: { name: 'dify-api', key: 'SECRET_KEY' } } },
      { name: 'LOG_LEVEL', value: 'INFO' },
    ]);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'users-own' } }]);
  });

  test('the inlined objects and a ConfigMap nothing uses are not written; a mounted ConfigMap and the hash annotations\' neighbours stay', () => {
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['ConfigMap/mounted', 'Service/dify-api', 'Deployment/dify-api']);
    expect(replacedSecrets).toEqual(new Set(['dify-api']));
    expect(deployment.spec.template.metadata.annotations).toEqual({ keep: 'me' });
    const onlyHashes = rendered();
    const deploymentOf = (objects: Record<string, any>[]) => objects.find((object) => object.kind === 'Deployment')!;
    delete deploymentOf(onlyHashes).spec.template.metadata.annotations.keep;
    expect(deploymentOf(layOutBorisObjects(onlyHashes, 'dify').objects).spec.template.metadata).not.toHaveProperty('annotations');
  });

  test('a reference to a Secret that is not written is named with the values list to give it in, until it is replaced', () => {
    expect(unreplacedChartSecrets(objects, replacedSecrets)).toEqual([
      'Deployment dify-api: container api: SECRET_KEY would come from the chart\'s Secret dify-api, which holds it in plain text and is not written: '
      + 'give it by a secretKeyRef in dify.chart.values.api.extraEnv']);
    const replaced = structuredClone(objects);
    replaced.find((object) => object.kind === 'Deployment')!.spec.template.spec.containers[0].env[2] = { name: 'SECRET_KEY', valueFrom: { secretKeyRef: { name: 'mine', key: 'k' } } };
    expect(unreplacedChartSecrets(replaced, replacedSecrets)).toEqual([]);
  });

  test('a Secret no container takes by envFrom (mounted, or not used) is left for the policy and hardening, which refuse its data', () => {
    const extra = [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stray' }, data: { token: b64('abc') } },
      ...rendered().map((object) => object.kind === 'Deployment' ? { ...object, spec: { ...object.spec, template: { ...object.spec.template,
        spec: { ...object.spec.template.spec, volumes: [{ name: 'keys', secret: { secretName: 'dify-api' } }] } } } } : object),
    ];
    const laidOut = layOutBorisObjects(extra, 'dify');
    expect(laidOut.objects.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name)).toEqual(['stray', 'dify-api']);
    expect(laidOut.replacedSecrets).toEqual(new Set());
  });

  test('the rendered objects are not changed', () => {
    const input = rendered();
    const before = structuredClone(input);
    layOutBorisObjects(input, 'dify');
    expect(input).toEqual(before);
  });
});

describe('what the layout leaves to the policy', () => {
  test('an unused ConfigMap the chart writes into another namespace is kept, so the policy refuses it rather than it vanishing', () => {
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } };
    const ownUnused = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nginx-config', namespace: 'dify' }, data: { 'nginx.conf': '' } };
    const { objects } = layOutBorisObjects([foreign, ownUnused], 'dify');
    expect(objects.map((object) => object.metadata.name)).toEqual(['coredns']);
  });
});
