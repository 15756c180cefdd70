/**
 * The pod settings platform teams know from the Helm charts: each must land where Kubernetes reads it, on every pod
 * it is meant for, and nowhere else. (The same platform is among the variations every object of which is validated
 * against the Kubernetes schema, helpers/platforms.ts.)
 */
import { DifyPlatformProps } from '../../../lib';
import { allPodSpecs, byKindAndName, mainContainer, podSpec } from '../../helpers/dify';
import { CA_VOLUME, EVERY_COMPONENT_SETTING, EVERY_POD_SETTING as EVERYTHING } from '../../helpers/platforms';
import { synthPlatform } from '../../helpers/synth';

describe('pod settings', () => {
  const objects = synthPlatform(EVERYTHING);
  const api = podSpec(byKindAndName(objects, 'Deployment', 'dify-api'));
  const apiTemplate = byKindAndName(objects, 'Deployment', 'dify-api').spec.template;

  test('dify.pods reaches every pod, Jobs and the embedded MinIO included', () => {
    for (const [where, spec] of allPodSpecs(objects)) {
      expect([where, spec.tolerations, spec.priorityClassName, spec.imagePullSecrets]).toEqual([where,
        [{ key: 'dedicated', operator: 'Equal', value: 'dify', effect: 'NoSchedule' }], 'business-critical', [{ name: 'registry-credentials' }]]);
      expect([where, spec.volumes]).toEqual([where, expect.arrayContaining([CA_VOLUME])]);
      expect([where, spec.containers[0].volumeMounts]).toEqual([where, expect.arrayContaining([{ name: 'corporate-ca', mountPath: '/etc/ssl/corporate', readOnly: true }])]);
    }
  });

  test('a component\'s own setting wins over dify.pods, and maps merge', () => {
    const worker = byKindAndName(objects, 'Deployment', 'dify-worker').spec.template;

    expect(api.nodeSelector).toEqual({ 'node-role.example.com/api': 'true' });
    expect(worker.spec.nodeSelector).toEqual({ 'node-role.example.com/dify': 'true' });
    expect(apiTemplate.metadata.annotations).toEqual({ 'example.com/team': 'ai', 'example.com/scrape': 'true' });
    expect(worker.metadata.annotations).toEqual({ 'example.com/team': 'ai' });
    expect(api.affinity.nodeAffinity).toBeDefined();
  });

  test('labels are added to the pods, never replacing the selector\'s', () => {
    expect(apiTemplate.metadata.labels).toMatchObject({ 'example.com/cost-center': 'ai-42', 'app.kubernetes.io/component': 'api' });
    expect(() => synthPlatform({ dify: { pods: { labels: { 'app.kubernetes.io/component': 'x' } } } }))
      .toThrow('dify.pods.labels.app.kubernetes.io/component: "x" is not allowed: is a label the platform sets (its selectors, KubeBlocks and helm read it); choose another key');
  });

  test('security contexts are merged over the component\'s own, key by key', () => {
    expect(api.securityContext).toEqual({ fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true });
    expect(api.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: false, runAsUser: 1001,
    });
  });

  test('Kubernetes values reach the pod as written, quantities and ports included', () => {
    expect(api.volumes).toEqual(expect.arrayContaining([{ name: 'scratch', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }]));
    expect(api.containers[0].readinessProbe.httpGet.port).toBe(5001);
  });

  test('a spread constraint without a selector spreads the component\'s own pods', () => {
    expect(api.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': 'api' } } }]);
  });

  test('every image comes from the mirror, keeping its path, with the pull policy on every container', () => {
    const containers = allPodSpecs(objects).flatMap(([, spec]) => [...(spec.initContainers ?? []), ...spec.containers]);

    expect(new Set(containers.map((c: any) => c.imagePullPolicy))).toEqual(new Set(['Always']));
    expect([...new Set(containers.map((c: any) => c.image))].sort()).toEqual([
      'registry.example.com/mirror/curlimages/curl:8.11.1', 'registry.example.com/mirror/langgenius/dify-api:1.16.1',
      'registry.example.com/mirror/langgenius/dify-plugin-daemon:0.6.3-local', 'registry.example.com/mirror/langgenius/dify-sandbox:0.2.15',
      'registry.example.com/mirror/langgenius/dify-web:1.16.1', 'registry.example.com/mirror/library/postgres:16.9-alpine',
      'registry.example.com/mirror/minio/minio:RELEASE.2024-12-18T13-15-44Z', 'registry.example.com/mirror/ubuntu/squid:6.6-24.04_beta',
    ]);
    // An image given explicitly is used as written.
    expect(mainContainer(byKindAndName(synthPlatform({ dify: { imageRegistry: 'r.example.com', images: { web: 'other.example.org/web:1.16.1' } } }), 'Deployment', 'dify-web')).image)
      .toBe('other.example.org/web:1.16.1');
  });

  test('without any pod setting, nothing changes', () => {
    expect(synthPlatform({ dify: { pods: {} } })).toEqual(synthPlatform());
  });
});

describe('bad pod settings are refused in one line each', () => {
  test.each<[string, DifyPlatformProps, string]>([
    ['a toleration with operator Exists and a value', { dify: { pods: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } } },
      'dify.pods.tolerations[0].value: "v" is not allowed: must be empty with operator Exists (it matches any value)'],
    ['a toleration without a key that is not Exists', { dify: { pods: { tolerations: [{ operator: 'Equal', value: 'v' }] } } },
      'dify.pods.tolerations[0].operator: "Equal" is not allowed: must be Exists when the key is empty (tolerate every taint)'],
    ['a registry with a scheme', { dify: { imageRegistry: 'https://registry.example.com' } },
      'dify.imageRegistry: "https://registry.example.com" is not allowed: must be a registry host, optionally with a port and a path'],
    ['a spread constraint with a skew of 0', { dify: { web: { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] } } },
      'dify.web.topologySpreadConstraints[0].maxSkew: 0 is not allowed: must be a whole number of at least 1'],
    ['a mount of a volume the pods do not have', { dify: { api: { extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ca' }] } } },
      'dify.api.extraVolumeMounts[0].name: "ca" is not allowed: must name one of the extraVolumes of these pods (none given)'],
    ['a volume with two sources', { dify: { pods: { extraVolumes: [{ name: 'x', emptyDir: {}, configMap: { name: 'c' } }] } } },
      'dify.pods.extraVolumes[0]: {"name":"x","emptyDir":{},"configMap":{"name":"c"}} is not allowed: must have a name and exactly one source'],
    ['a volume named like the platform\'s own (the schema gate\'s)', { dify: { api: { extraVolumes: [{ name: 'schema-gate', emptyDir: {} }] } } },
      'dify.api.extraVolumes: "schema-gate" is not allowed: the pods already have a volume schema-gate of the platform\'s own; give yours another name (in the pods of dify-api)'],
    ['a volume named tmp for every pod (the Jobs\' scratch volume)', { dify: { pods: { extraVolumes: [{ name: 'tmp', hostPath: { path: '/' } }] } } },
      'dify.pods.extraVolumes: "tmp" is not allowed: the pods already have a volume tmp of the platform\'s own; give yours another name (in the pods of dify-bootstrap-secrets-'],
    ['a mount on the plugin daemon\'s storage', { dify: { pluginDaemon: { extraVolumes: [{ name: 'x', emptyDir: {} }], extraVolumeMounts: [{ name: 'x', mountPath: '/app/storage' }] } } },
      'dify.pluginDaemon.extraVolumeMounts: "/app/storage" is not allowed: the container already mounts /app/storage; a mount at, above or below it would hide what is there (in the pods of dify-plugin-daemon)'],
    ['a mount above the proxy\'s config', { dify: { ssrfProxy: { extraVolumes: [{ name: 'x', emptyDir: {} }], extraVolumeMounts: [{ name: 'x', mountPath: '/etc/' }] } } },
      'dify.ssrfProxy.extraVolumeMounts: "/etc/" is not allowed: the container already mounts /etc/squid/squid.conf'],
    ['two extra mounts on one path', { dify: { web: { extraVolumes: [{ name: 'x', emptyDir: {} }], extraVolumeMounts: [{ name: 'x', mountPath: '/data' }, { name: 'x', mountPath: '/data/sub' }] } } },
      'dify.web.extraVolumeMounts: "/data/sub" is not allowed: the container already mounts /data'],
    ['a pull policy Kubernetes does not know', { dify: { imagePullPolicy: 'Sometimes' as never } },
      'dify.imagePullPolicy: "Sometimes" is not allowed: must be one of IfNotPresent, Always, Never'],
  ])('%s', (_case, props, expected) => {
    expect(() => synthPlatform(props)).toThrow(expected);
  });
});

describe('Services, probes and autoscaling', () => {
  const objects = synthPlatform(EVERY_COMPONENT_SETTING);

  test('a Service gets the type and annotations its component asks for, keeping its sync wave', () => {
    const web = byKindAndName(objects, 'Service', 'dify-web');

    expect(web.spec.type).toBe('LoadBalancer');
    expect(web.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true', 'argocd.argoproj.io/sync-wave': '3',
      'example.com/owner': 'platform-team@example.com' });
    expect(byKindAndName(objects, 'Service', 'dify-api').spec.type).toBeUndefined();
  });

  test('probe timings are merged over the component\'s probes, and a startup probe checks what readiness checks', () => {
    const api = mainContainer(byKindAndName(objects, 'Deployment', 'dify-api'));

    expect(api.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 5001 }, periodSeconds: 30, failureThreshold: 6, initialDelaySeconds: 60 });
    expect(api.startupProbe).toEqual({ httpGet: { path: '/health', port: 5001 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 });
  });

  test('an autoscaled Deployment leaves its replicas to the HPA, and its disruption budget follows minReplicas', () => {
    const hpa = byKindAndName(objects, 'HorizontalPodAutoscaler', 'dify-api');

    expect(byKindAndName(objects, 'Deployment', 'dify-api').spec.replicas).toBeUndefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dify-api' }, minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(byKindAndName(objects, 'PodDisruptionBudget', 'dify-api').spec.minAvailable).toBe(1);
    // A worker that may scale down to one pod gets no budget: one that allows no eviction would block every drain.
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'dify-worker')).toBe(false);
    expect(byKindAndName(objects, 'HorizontalPodAutoscaler', 'dify-worker').spec.metrics[0].resource.name).toBe('memory');
  });

  test('common labels and annotations are on every object, never replacing the object\'s own', () => {
    for (const object of objects) {
      expect([object.kind, object.metadata.labels?.['example.com/team']]).toEqual([object.kind, 'ai']);
      expect([object.kind, object.metadata.annotations?.['example.com/owner']]).toEqual([object.kind, 'platform-team@example.com']);
    }
    expect(byKindAndName(objects, 'Deployment', 'dify-api').metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('3');
  });

  test.each<[string, DifyPlatformProps, string]>([
    ['maxReplicas below minReplicas', { dify: { api: { autoscaling: { minReplicas: 5, maxReplicas: 3, targetCPUUtilizationPercentage: 70 } } } },
      'dify.api.autoscaling.maxReplicas: 3 is not allowed: must be at least minReplicas (5)'],
    ['an HPA on beat', { dify: { beat: { autoscaling: { maxReplicas: 3 } as never } } },
      'dify.beat.autoscaling: {"maxReplicas":3} is not allowed: is not allowed here: this component runs exactly one replica'],
    ['an HPA with nothing to scale on', { dify: { web: { autoscaling: { maxReplicas: 3 } } } },
      'dify.web.autoscaling: {"maxReplicas":3} is not allowed: needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage'],
    ['replicas beside autoscaling', { dify: { web: { replicas: 3, autoscaling: { maxReplicas: 5, targetCPUUtilizationPercentage: 80 } } } },
      'dify.web.replicas: 3 is not allowed: is decided by autoscaling'],
    ['a Service type Kubernetes does not know', { dify: { web: { service: { type: 'Ingress' as never } } } },
      'dify.web.service.type: "Ingress" is not allowed: must be one of ClusterIP, NodePort, LoadBalancer'],
    ['a label value over 63 characters', { commonLabels: { team: 'x'.repeat(64) } },
      'commonLabels.team: "xxxx'],
  ])('%s is refused', (_case, props, expected) => {
    expect(() => synthPlatform(props)).toThrow(expected);
  });
});
