import { DifyPlatformProps } from '../../lib';
import * as fs from 'fs';
import * as path from 'path';
import { fixtureConfigs, renderableExampleConfigs } from './configs';
import { tempDir } from './pipeline';
import { BORIS_REPO, BORIS_VERSION, borisChart, COMMUNITY_CHART_FILES, doubanChart } from './community-charts';
import { withThirdParty } from './third-party';

export { borisChart, doubanChart };

/** A copy of a douban chart that a test may change. */
export function copyOfChart(version: '0.4.1' | '0.9.1'): string {
  const dir = path.join(tempDir('chart-'), 'dify');
  fs.cpSync(doubanChart(version), dir, { recursive: true });
  return dir;
}

/** The community chart as the app tier, with every platform setting it takes and values of the user's own. */
export const CHART_0_9_1: DifyPlatformProps = {
  dify: {
    version: '1.13.3', host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' }, redisMode: 'sentinel',
    ingress: { className: 'nginx', annotations: { 'cert-manager.io/cluster-issuer': 'le' } },
    storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 's3' } },
    imagePullSecrets: ['registry-credentials'],
    backendEnv: [{ name: 'UPLOAD_FILE_SIZE_LIMIT', value: '50' }],
    chart: {
      // Unpacked when a test reads it: the community charts may be absent (helpers/third-party.ts).
      get path() { return doubanChart('0.9.1'); },
      values: {
        api: { replicaCount: 2, resources: { requests: { cpu: '250m', memory: '1Gi' } } },
        worker: { envs: [{ name: 'CELERY_WORKER_AMOUNT', value: '2' }] },
        global: { extraBackendEnvs: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] },
        pluginDaemon: { persistence: { size: '5Gi' } },
      },
    },
  },
};

/**
 * BorisPolonsky's chart as the app tier, named by repository as a user names it, with the same platform settings
 * as {@link CHART_0_9_1} and values of the user's own in this chart's names.
 */
export const BORIS_CHART: DifyPlatformProps = {
  dify: {
    version: '1.16.1', host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' }, redisMode: 'sentinel',
    ingress: { className: 'nginx', annotations: { 'cert-manager.io/cluster-issuer': 'le' }, extraHosts: ['dify.example.org'] },
    storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 's3' } },
    imagePullSecrets: ['registry-credentials'],
    backendEnv: [{ name: 'UPLOAD_FILE_SIZE_LIMIT', value: '50' }],
    chart: {
      repo: BORIS_REPO, name: 'dify', version: BORIS_VERSION,
      values: {
        api: { replicas: 2, resources: { requests: { cpu: '250m', memory: '1Gi' } }, extraEnv: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] },
        worker: { extraEnv: [{ name: 'CELERY_WORKER_AMOUNT', value: '2' }] },
        pluginDaemon: { persistence: { persistentVolumeClaim: { size: '5Gi' } } },
      },
    },
  },
};

export const CA_VOLUME = { name: 'corporate-ca', configMap: { name: 'corporate-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } };
/** Every pod and image setting at once, on dify.pods and on one component. */
export const EVERY_POD_SETTING: DifyPlatformProps = {
  dify: {
    imageRegistry: 'registry.example.com/mirror',
    imagePullSecrets: ['registry-credentials'],
    imagePullPolicy: 'Always',
    pods: {
      nodeSelector: { 'node-role.example.com/dify': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'dify', effect: 'NoSchedule' }],
      priorityClassName: 'business-critical',
      annotations: { 'example.com/team': 'ai' },
      labels: { 'example.com/cost-center': 'ai-42' },
      securityContext: { runAsNonRoot: true },
      extraVolumes: [CA_VOLUME],
      extraVolumeMounts: [{ name: 'corporate-ca', mountPath: '/etc/ssl/corporate', readOnly: true }],
    },
    api: {
      nodeSelector: { 'node-role.example.com/api': 'true' },
      annotations: { 'example.com/scrape': 'true' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
      containerSecurityContext: { readOnlyRootFilesystem: false, runAsUser: 1001 },
      extraVolumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }],
      extraVolumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
    },
  },
};

/** Service type, probe timings, autoscaling and common metadata. */
export const EVERY_COMPONENT_SETTING: DifyPlatformProps = {
  commonLabels: { 'example.com/team': 'ai' },
  commonAnnotations: { 'example.com/owner': 'platform-team@example.com' },
  dify: {
    web: { service: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } } },
    ssrfProxy: { allowPrivate: { ips: ['10.20.0.0/16', 'fd12:3456::/32'], domains: ['.corp.example.com'] } },
    storage: { type: 's3', s3: { endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'dify-files', region: 'eu-west-1', useIamRole: true } },
    api: {
      autoscaling: { minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
      livenessProbe: { periodSeconds: 30, failureThreshold: 6 },
      startupProbe: { failureThreshold: 60 },
    },
    worker: { autoscaling: { maxReplicas: 4, targetMemoryUtilizationPercentage: 80 } },
  },
};

/** Gateway API routing beside the Ingress, extra hosts, collaboration's websocket route. */
export const GATEWAY: DifyPlatformProps = {
  dify: {
    collaboration: { enabled: true },
    ingress: { extraHosts: ['ai.example.org'] },
    gateway: { parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }], annotations: { 'example.com/route': 'dify' } },
  },
};

const ZONE_A = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }] }] } } };
const DB_NODES = { nodeSelector: { 'node-role.example.com/db': 'true' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] };

/** Data-tier scheduling, identities, the other storage types, a secret manager, sandbox packages. */
export const EVERY_REMAINING_SETTING: DifyPlatformProps = {
  postgresql: { scheduling: { ...DB_NODES, affinity: ZONE_A, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] } },
  redis: { scheduling: DB_NODES, sentinel: { scheduling: { nodeSelector: { 'node-role.example.com/sentinel': 'true' } } } },
  qdrant: { scheduling: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 50, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'qdrant' } } } }] } } } },
  dify: {
    api: { serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/dify' } } },
    worker: { serviceAccount: { name: 'dify-workload-identity' } },
    sandbox: { pythonRequirements: ['numpy==1.26.4', 'pandas[excel]==2.2.3'] },
    externalSecret: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, remoteKey: 'prod/dify' },
    storage: { type: 'azure-blob', azureBlob: { accountName: 'difyfiles', containerName: 'dify', credentialsSecret: 'dify-azure' } },
  },
};

/** Deep merge of plain settings objects: later wins, mappings merge. */
function merged(...parts: DifyPlatformProps[]): DifyPlatformProps {
  const merge = (a: any, b: any): any => (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)
    ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((key) => [key, key in b ? (b[key] === undefined ? undefined : merge(a[key], b[key])) : a[key]]))
    : b);
  return parts.reduce(merge, {});
}

/** Every setting issue 9 adds, in one config. */
export const EVERY_HELM_CHART_SETTING: DifyPlatformProps = merged(EVERY_POD_SETTING, EVERY_COMPONENT_SETTING, GATEWAY,
  { dify: { storage: { type: 'azure-blob', s3: undefined } } } as DifyPlatformProps, EVERY_REMAINING_SETTING);

/** Beyond the shipped configs: every optional setting in use, on both release lines. */
export const VARIATIONS: Record<string, DifyPlatformProps> = {
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
      backendEnv: [{ name: 'UPLOAD_FILE_SIZE_LIMIT', valueFrom: { configMapKeyRef: { name: 'dify-limits', key: 'upload-mb' } } }],
      worker: { replicas: 3, concurrency: 2, env: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] }, pluginDaemon: { maxPackageSize: '100Mi' }, sandbox: { replicas: 2 }, ssrfProxy: { replicas: 2 },
    },
  },
  'Dify 1.16.1 with collaboration and Agent v2, in Sentinel mode': {
    dify: {
      redisMode: 'sentinel', tls: { enabled: true, secretName: 'dify-tls' },
      collaboration: { enabled: true, replicas: 2 },
      agent: { enabled: true, backend: { replicas: 2 }, localSandbox: { scratchSize: '20Gi' }, ssrfProxy: { replicas: 2 } },
    },
  },
  'Dify 1.16.1 with Agent v2 behind a corporate egress proxy, one for each scheme, in Sentinel mode': {
    dify: { redisMode: 'sentinel', agent: { enabled: true }, ssrfProxy: { allowPrivate: { ips: ['10.20.0.0/16'] } },
      egressProxy: { httpProxy: 'http://proxy.corp.example.com:3128', httpsProxy: 'http://10.8.0.5:8080', noProxy: ['.corp.example.com', '10.20.0.0/16'] } },
  },
  'Dify 0.6.11 behind a corporate egress proxy': { dify: { version: '0.6.11', storage: { type: 'volume' }, egressProxy: { httpProxy: 'http://proxy.corp.example.com:3128' } } },
  'every pod and image setting': EVERY_POD_SETTING,
  'Service type, probes, autoscaling and common metadata': EVERY_COMPONENT_SETTING,
  'an HTTPRoute beside the Ingress': GATEWAY,
  'data-tier scheduling, identities, Azure Blob, a secret manager, sandbox packages': EVERY_REMAINING_SETTING,
  'every Helm-chart setting at once': EVERY_HELM_CHART_SETTING,
  'monitoring on 1.0': { monitoring: { podMonitors: true } },
  'backups and a restore on 1.0': { postgresql: { backup: { pitr: true, repo: 's3' }, restoreFrom: { backup: 'pg', pointInTime: '2026-11-24T03:00:00Z' } }, redis: { backup: { pitr: true } }, qdrant: { backup: {} } },
  'backups on 0.9': { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, postgresql: { backup: { pitr: true } }, redis: { backup: {} }, qdrant: { backup: {} } },
  'monitoring on 0.9': { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, monitoring: { podMonitors: true, labels: { release: 'kps' } } },
  'data-tier scheduling on KubeBlocks 0.9': { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, postgresql: { scheduling: DB_NODES } },
  'Google Cloud Storage with Workload Identity': { dify: {
    storage: { type: 'google-storage', googleStorage: { bucket: 'dify-files' } },
    pods: { serviceAccount: { create: true, annotations: { 'iam.gke.io/gcp-service-account': 'dify@example-project.iam.gserviceaccount.com' } } },
  } },
  'one Azure workload identity, a component of its own, spread settings over the defaults': { dify: {
    collaboration: { enabled: true },
    pods: { serviceAccount: { create: true, annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' } }, topologySpreadConstraints: [] },
    web: { serviceAccount: { name: 'web-identity' }, affinity: { podAntiAffinity: {} } },
    worker: { serviceAccount: { create: true, name: 'dify-indexing' } },
  } },
  'Aliyun OSS': { dify: { storage: { type: 'aliyun-oss', aliyunOss: { bucket: 'dify-files', endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', path: 'dify', credentialsSecret: 'dify-oss' } } } },
  'worker pools by queue, an indexing pool autoscaled on its own nodes': {
    dify: { worker: { replicas: 2, pools: [
      { name: 'indexing', queues: ['dataset', 'priority_dataset', 'pipeline'], concurrency: 2, autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 },
        nodeSelector: { 'node-role.example.com/indexing': 'true' }, serviceAccount: { create: true } },
      { name: 'workflows', queues: ['workflow', 'workflow_based_app_execution'], replicas: 2 },
    ] } },
  },
  'Dify 1.15.0 with collaboration': { dify: { version: '1.15.0', collaboration: { enabled: true } } },
  'Dify 1.14.0': { dify: { version: '1.14.0' } },
  'Dify 0.6.11 on KubeBlocks 1.0 with a shared volume': { dify: { version: '0.6.11', storage: { type: 'volume' }, ingress: { enabled: false } } },
  'databases brought in: an external PostgreSQL with TLS, an existing Redis cluster, an external Qdrant with an API key': {
    postgresql: { external: { host: 'dify.abc123.eu-west-1.rds.amazonaws.com', credentialsSecret: 'dify-rds', sslMode: 'require' } },
    redis: { existingCluster: 'shared-redis' },
    qdrant: { external: { url: 'https://xyz.cloud.qdrant.io:6333', apiKeySecret: { name: 'qdrant-cloud', key: 'api-key' } } },
    dify: { redisMode: 'sentinel' },
  },
  'an RDS application user without CREATEDB: Dify\'s databases named, pgvector among them, checked and never created': {
    vectorStore: 'pgvector',
    postgresql: { external: {
      host: 'dify.abc123.eu-west-1.rds.amazonaws.com', credentialsSecret: 'dify-rds', sslMode: 'require',
      databases: { dify: 'dify_prod', pluginDaemon: 'dify_prod_plugins', vector: 'dify_prod_vectors' }, createDatabases: false,
    } },
  },
  'Milvus standalone with backups and monitoring': {
    vectorStore: 'milvus', milvus: { storage: { size: '50Gi' }, resources: { requests: { cpu: '2', memory: '8Gi' } }, backup: {} }, monitoring: { podMonitors: true },
  },
};

/** The variations that render a community chart (its package from the third-party folder). */
export const CHART_VARIATIONS = (): Record<string, DifyPlatformProps> => ({
  'the douban chart 0.9.1 with Sentinel, TLS, S3 and values of its own': CHART_0_9_1,
  'BorisPolonsky\'s chart 0.38.0-rc2 with Sentinel, TLS, S3 and values of its own': BORIS_CHART,
  'BorisPolonsky\'s chart on a shared volume, with pgvector and no Ingress': {
    vectorStore: 'pgvector', dify: { version: '1.16.1', storage: { type: 'volume' }, ingress: { enabled: false }, chart: { path: borisChart(), family: 'boris' } },
  },
  'Milvus through the douban chart 0.9.1': { vectorStore: 'milvus', dify: { version: '1.13.3', chart: { path: doubanChart('0.9.1') } } },
  'the douban chart 0.9.1 behind a corporate egress proxy': {
    dify: { version: '1.13.3', egressProxy: { httpProxy: 'http://proxy.corp.example.com:3128' }, chart: { path: doubanChart('0.9.1') } },
  },
  'BorisPolonsky\'s chart behind a corporate egress proxy': {
    dify: { version: '1.16.1', egressProxy: { httpProxy: 'http://proxy.corp.example.com:3128' }, chart: { path: borisChart(), family: 'boris' } },
  },
  'pgvector on KubeBlocks 0.9 through the douban chart 0.9.1': {
    kubeblocks: { releaseLine: '0.9' }, vectorStore: 'pgvector', dify: { version: '1.13.3', chart: { path: doubanChart('0.9.1') } },
  },
  'the douban chart 0.4.1 with a shared volume and no Ingress': {
    dify: { version: '0.6.11', storage: { type: 'volume' }, ingress: { enabled: false }, chart: { path: doubanChart('0.4.1') } },
  },
});

export const PLATFORMS: [string, DifyPlatformProps][] = [
  ...fixtureConfigs().map((config): [string, DifyPlatformProps] => [`the tests' own ${config.name} platform`, config.props]),
  ...renderableExampleConfigs().map((config): [string, DifyPlatformProps] => [`examples/config/${config.name}`, config.props]),
  ...Object.entries(VARIATIONS),
  ...withThirdParty('the platforms that render a community chart', COMMUNITY_CHART_FILES, () => Object.entries(CHART_VARIATIONS())),
];
