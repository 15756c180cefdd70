import { DifyPlatformProps, parsePlatformProps } from '../../lib';
import { configProblems } from '../helpers/configs';

const problems = configProblems;

describe('platform settings that are refused', () => {
  test.each<[string, unknown, string | string[]]>([
    ['replicas below 1', { postgresql: { replicas: 0 } },
      'env.yaml: postgresql.replicas: 0 is not allowed: must be a whole number from 1 to 16'],
    ['fractional replicas', { qdrant: { replicas: 2.5 } },
      'env.yaml: qdrant.replicas: 2.5 is not allowed: must be a whole number from 1 to 64'],
    ['an even sentinel count', { redis: { sentinel: { replicas: 4 } } },
      'env.yaml: redis.sentinel.replicas: 4 is not allowed: must be an odd whole number from 3 to 9 (a Sentinel quorum is a majority)'],
    ['too few sentinels', { redis: { sentinel: { replicas: 1 } } },
      'env.yaml: redis.sentinel.replicas: 1 is not allowed: must be a whole number from 3 to 9, odd (a Sentinel quorum is a majority)'],
    ['a quantity in the wrong unit', { redis: { resources: { limits: { memory: '2GB' } } } },
      'env.yaml: redis.resources.limits.memory: "2GB" is not allowed: must be a Kubernetes quantity such as 512Mi or 2Gi (suffixes: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)'],
    ['a storage size that is not a quantity', { qdrant: { storage: { size: 'big' } } },
      'env.yaml: qdrant.storage.size: "big" is not allowed: must be a Kubernetes quantity such as 20Gi (suffixes: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)'],
    ['a version 1.0 does not offer', { postgresql: { version: '13.0.0' } },
      'env.yaml: postgresql.version: "13.0.0" is not allowed: KubeBlocks 1.0 offers postgresql 12.14.0, 12.14.1, 12.15.0, 12.22.0, 14.7.2, 14.8.0, 14.18.0, 15.7.0, 15.13.0, 16.4.0, 16.9.0, 17.5.0, 18.1.0'],
    ['a version 0.9 does not offer', { kubeblocks: { releaseLine: '0.9' }, postgresql: { version: '18.1.0' } },
      'env.yaml: postgresql.version: "18.1.0" is not allowed: KubeBlocks 0.9 offers postgresql 12.14.0, 12.14.1, 12.15.0, 12.22.0, 14.7.2, 14.8.0, 14.18.0, 15.7.0, 15.13.0, 16.4.0, 16.9.0, 17.5.0'],
    ['Halt on 1.0', { redis: { terminationPolicy: 'Halt' } },
      'env.yaml: redis.terminationPolicy: "Halt" is not allowed: KubeBlocks 1.0 allows DoNotTerminate, Delete, WipeOut'],
    ['an unknown termination policy', { qdrant: { terminationPolicy: 'Keep' } },
      'env.yaml: qdrant.terminationPolicy: "Keep" is not allowed: must be one of DoNotTerminate, Halt, Delete, WipeOut'],
    ['a cluster name that is not a DNS label', { postgresql: { name: 'My_DB' } },
      "env.yaml: postgresql.name: \"My_DB\" is not allowed: must be a cluster name: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"],
    ['a cluster name whose derived names pass 63 characters', { qdrant: { name: 'q'.repeat(50) } },
      `env.yaml: qdrant.name: "${'q'.repeat(50)}" is not allowed: KubeBlocks would derive the name "${'q'.repeat(50)}-qdrant-headless" (66 characters), over Kubernetes' 63-character limit`],
    ['a component name over 22 characters', { kubeblocks: { releaseLine: '0.9' }, postgresql: { componentName: 'postgresql-primary-node' } },
      "env.yaml: postgresql.componentName: \"postgresql-primary-node\" is not allowed: must be at most 22 characters (KubeBlocks' limit for component names)"],
    ['a component name that is not a DNS label', { kubeblocks: { releaseLine: '0.9' }, redis: { sentinel: { componentName: '-sentinel' } } },
      "env.yaml: redis.sentinel.componentName: \"-sentinel\" is not allowed: must be a component name: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"],
    ['a renamed component on 1.0, whose topology fixes the names', { redis: { componentName: 'cache' } },
      'env.yaml: redis.componentName: "cache" is not allowed: on KubeBlocks 1.0 the replication topology names this component "redis"'],
    ['an unknown key', { postgresql: { replica: 2 } },
      'env.yaml: postgresql.replica: unknown setting: known settings here: replicas, resources, storage, name, version, terminationPolicy, spread, componentName, scheduling, backup, restoreFrom, existingCluster, external'],
    ['an unknown top-level key', { postgres: {} },
      'env.yaml: postgres: unknown setting: known settings here: namespace, createNamespace, kubeblocks, postgresql, redis, vectorStore, milvus, qdrant, dify, backupRepo, networkPolicies, monitoring, commonLabels, commonAnnotations, allowDestructive'],
    ['a minio BackupRepo without its endpoint', { backupRepo: { provider: 'minio', bucket: 'kb-backups', credentialsSecret: { name: 'minio-creds' } } },
      "env.yaml: backupRepo.endpoint: nothing is not allowed: minio needs the store's URL, e.g. http://minio.backup:9000"],
    ['an oss BackupRepo without its region', { backupRepo: { provider: 'oss', bucket: 'kb-backups', credentialsSecret: { name: 'c' } } },
      "env.yaml: backupRepo.region: nothing is not allowed: oss needs the bucket's region, e.g. cn-hangzhou"],
    ['an azureblob BackupRepo given a bucket', { backupRepo: { provider: 'azureblob', bucket: 'kb-backups', credentialsSecret: { name: 'c' } } },
      ['env.yaml: backupRepo.container: nothing is not allowed: azureblob stores backups in a container: name it, e.g. container: dify-backups',
        'env.yaml: backupRepo.bucket: "kb-backups" is not allowed: azureblob has no bucket: name its container instead']],
    ['an azureblob BackupRepo given a region', { backupRepo: { provider: 'azureblob', container: 'kb-backups', region: 'westeurope', credentialsSecret: { name: 'c' } } },
      'env.yaml: backupRepo.region: "westeurope" is not allowed: azureblob takes no region: leave it out'],
    ['an azureblob container name Azure refuses', { backupRepo: { provider: 'azureblob', container: 'kb--backups', credentialsSecret: { name: 'c' } } },
      'env.yaml: backupRepo.container: "kb--backups" is not allowed: must be an Azure Blob Storage container name: 3 to 63 lowercase letters, digits and single hyphens'],
    ['an s3-compatible BackupRepo on KubeBlocks 0.9', { kubeblocks: { releaseLine: '0.9' }, backupRepo: { provider: 's3-compatible', bucket: 'kb-backups', endpoint: 'http://ceph:7480', credentialsSecret: { name: 'c' } } },
      'env.yaml: backupRepo.provider: "s3-compatible" is not allowed: KubeBlocks 0.9 installs no s3-compatible StorageProvider: use s3, minio, oss, cos, gcs-s3comp, obs, azureblob'],
    ['a BackupRepo provider KubeBlocks does not ship', { backupRepo: { provider: 'nfs', bucket: 'kb-backups', credentialsSecret: { name: 'c' } } },
      'env.yaml: backupRepo.provider: "nfs" is not allowed: must be one of s3, s3-compatible, minio, oss, cos, gcs-s3comp, obs, azureblob'],
    ['an unknown release line', { kubeblocks: { releaseLine: '0.8' } },
      'env.yaml: kubeblocks.releaseLine: "0.8" is not allowed: must be one of "1.0", "0.9" (quote it in YAML)'],
    ['a request above its limit', { postgresql: { resources: { requests: { cpu: '3' }, limits: { cpu: '2' } } } },
      'env.yaml: postgresql.resources.requests.cpu: "3" is not allowed: a request must not exceed its limit (2); raise resources.limits.cpu too'],
    ['a Dify request above the limit given with it', { dify: { api: { resources: { requests: { memory: '4Gi' }, limits: { memory: '3Gi' } } } } },
      'env.yaml: dify.api.resources.requests.memory: "4Gi" is not allowed: a request must not exceed its limit (3Gi); raise resources.limits.memory too'],
    ['an unsupported Dify version', { dify: { version: '1.2.0' } },
      'env.yaml: dify.version: "1.2.0" is not allowed: must be a supported Dify version: 0.6.11, 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1'],
    ['a host that is not a DNS name', { dify: { host: 'https://dify.example.com' } },
      'env.yaml: dify.host: "https://dify.example.com" is not allowed: must be a DNS name such as dify.example.com (lowercase, labels of at most 63 characters, no scheme, no port, no IP address)'],
    ['beat replicas other than 1', { dify: { beat: { replicas: 2 } } },
      'env.yaml: dify.beat.replicas: 2 is not allowed: must be 1: this component must never run twice at once'],
    ['TLS without a secret name', { dify: { tls: { enabled: true } } },
      'env.yaml: dify.tls.secretName: nothing is not allowed: TLS needs the name of the Secret with the certificate (cert-manager can create it)'],
    ['an image on latest', { dify: { images: { api: 'langgenius/dify-api:latest' } } },
      'env.yaml: dify.images.api: "langgenius/dify-api:latest" is not allowed: must be a pinned image: repository:tag (not latest) or repository@sha256:digest'],
    ['an image without a tag', { dify: { images: { web: 'langgenius/dify-web' } } },
      'env.yaml: dify.images.web: "langgenius/dify-web" is not allowed: must be a pinned image: repository:tag (not latest) or repository@sha256:digest'],
    ['S3 storage without its settings', { dify: { storage: { type: 's3' } } },
      'env.yaml: dify.storage.s3: nothing is not allowed: storage type s3 needs its settings under dify.storage.s3'],
    ['an env variable without a name', { dify: { backendEnv: [{ value: 'x' }] } },
      'env.yaml: dify.backendEnv[0].name: nothing is not allowed: must be a variable name'],
    ['an allowed private destination that is not an address', { dify: { ssrfProxy: { allowPrivate: { ips: ['10.0.0.0/33'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.ips[0]: "10.0.0.0/33" is not allowed: must be an IPv4 or IPv6 address or CIDR range such as 10.20.0.0/16'],
    ['a worker concurrency of 0', { dify: { worker: { concurrency: 0 } } },
      'env.yaml: dify.worker.concurrency: 0 is not allowed: must be a whole number from 1 to 64'],
    ['an allowed private destination that is every address', { dify: { ssrfProxy: { allowPrivate: { ips: ['0.0.0.0/0'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.ips[0]: "0.0.0.0/0" is not allowed: must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16'],
    ['an allowed private destination that is every IPv6 address', { dify: { ssrfProxy: { allowPrivate: { ips: ['::/0'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.ips[0]: "::/0" is not allowed: must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16'],
    ['an allowed private range that holds the metadata address', { dify: { ssrfProxy: { allowPrivate: { ips: ['169.254.0.0/16'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.ips[0]: "169.254.0.0/16" is not allowed: must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16'],
    ...['127.0.0.1', '127.0.0.0/8', '96.0.0.0/3', '::1', '::ffff:7f00:1', '::ffff:0:0/96', 'fd00:ec2::254', 'fd00::/8'].map((range) => [
      `an allowed private range that reaches loopback or metadata: ${range}`, { dify: { ssrfProxy: { allowPrivate: { ips: [range] } } } },
      `env.yaml: dify.ssrfProxy.allowPrivate.ips[0]: "${range}" is not allowed: must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16`,
    ] as [string, unknown, string]),
    ['an allowed private host that is loopback', { dify: { ssrfProxy: { allowPrivate: { domains: ['.localhost'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.domains[0]: ".localhost" is not allowed: must not be localhost: loopback is the proxy itself and stays refused'],
    ['an allowed private host with a scheme', { dify: { ssrfProxy: { allowPrivate: { domains: ['http://corp.example.com'] } } } },
      'env.yaml: dify.ssrfProxy.allowPrivate.domains[0]: "http://corp.example.com" is not allowed: must be a host name, a leading dot for its subdomains too, such as .corp.example.com'],
    ['a namespace that is not a DNS label', { namespace: 'Dify' },
      "env.yaml: namespace: \"Dify\" is not allowed: must be a namespace name: lowercase letters, digits and '-', starting and ending with a letter or digit"],
  ])('%s', (_case, input, expected) => {
    expect(problems(input)).toEqual([expected].flat());
  });

  test('a section that is not a mapping names what it should hold', () => {
    expect(problems({ redis: 'yes' })).toEqual([
      'env.yaml: redis: "yes" is not allowed: must be a mapping of settings (replicas, resources, storage, name, version, terminationPolicy, spread, componentName, scheduling, backup, restoreFrom, sentinel, existingCluster, external, tls)',
    ]);
  });

  test('every problem of one file is reported, one line each', () => {
    expect(problems({ postgresql: { replicas: 0 }, qdrant: { replicas: -1 } })).toHaveLength(2);
  });
});

describe('platform settings that are accepted', () => {
  test('no settings at all', () => {
    expect(parsePlatformProps(undefined, 'env.yaml')).toEqual({});
  });

  test('numbers for CPU become quantities', () => {
    expect(parsePlatformProps({ postgresql: { resources: { requests: { cpu: 2 } } } }, 'env.yaml').postgresql?.resources?.requests?.cpu).toBe('2');
  });

  // Every setting but `milvus`, which is for vectorStore: milvus on 1.0 only (__tests__/kubeblocks/milvus-cluster.test.ts).
  test('every setting, with renamed components on 0.9 where the names are free', () => {
    const all: Required<Omit<DifyPlatformProps, 'milvus'>> = {
      namespace: 'team-a',
      createNamespace: false,
      kubeblocks: { releaseLine: '0.9' },
      vectorStore: 'qdrant',
      postgresql: {
        name: 'meta', version: '15.7.0', replicas: 3, componentName: 'pg',
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
        storage: { size: '10Gi', storageClass: 'standard' }, terminationPolicy: 'Halt',
        spread: { antiAffinity: 'Required', topologyKeys: ['kubernetes.io/hostname'] },
      },
      redis: { name: 'cache', version: '7.0.6', sentinel: { replicas: 5, componentName: 'sentinel' } },
      qdrant: { name: 'vectors', version: '1.8.1', spread: { antiAffinity: 'None' }, replicationFactor: 2 },
      dify: {
        version: '1.16.1', host: 'ai.example.org', tls: { enabled: true, secretName: 'dify-tls' },
        ingress: { enabled: true, className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
        redisMode: 'sentinel', existingSecret: 'dify-managed',
        storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', region: 'eu-west-1', addressStyle: 'virtual',
          credentialsSecret: 's3-creds', accessKeyKey: 'id', secretKeyKey: 'secret' } },
        pluginStorage: { size: '50Gi', storageClass: 'fast' },
        images: { api: 'mirror.example.org/dify-api:1.13.3', web: 'mirror.example.org/dify-web@sha256:' + 'a'.repeat(64) },
        backendEnv: [{ name: 'LOG_LEVEL', value: 'DEBUG' }, { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'llm', key: 'openai' } } }],
        api: { replicas: 3, resources: { requests: { cpu: '1', memory: '2Gi' } }, env: [{ name: 'GUNICORN_TIMEOUT', value: '360' }] },
        worker: { replicas: 2 }, beat: { replicas: 1 }, web: { replicas: 3 }, sandbox: { replicas: 2 },
        pluginDaemon: { replicas: 1, maxPackageSize: '100Mi' }, ssrfProxy: { replicas: 2 },
        collaboration: { enabled: true, replicas: 2 },
        agent: { enabled: true, backend: { replicas: 2 }, localSandbox: { scratchSize: '5Gi' }, ssrfProxy: { replicas: 1 } },
      },
      backupRepo: { name: 'dify-backups', provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', pathPrefix: 'dify/prod',
        credentialsSecret: { name: 'minio-creds', namespace: 'kb-system' }, accessMethod: 'Tool', default: true },
      networkPolicies: { ingressNamespaces: ['ingress-nginx'] },
      monitoring: { podMonitors: true, labels: { release: 'prometheus' } },
      commonLabels: { 'example.com/team': 'ai' },
      commonAnnotations: { 'example.com/owner': 'platform-team@example.com' },
      allowDestructive: ['difyDowngrade'],
    };

    expect(parsePlatformProps(all, 'env.yaml')).toEqual(all);
  });
});

describe('dify.chart, the community chart as the app tier', () => {
  const chart = { path: 'charts/dify' };
  test.each<[string, unknown, string[]]>([
    ['no chart named', { dify: { version: '1.13.3', chart: {} } },
      ['env.yaml: dify.chart.path: nothing is not allowed: a chart is named by path (a chart folder), or by repo, name and an exact version']],
    ['a path and a repository', { dify: { version: '1.13.3', chart: { path: 'x', repo: 'https://douban.github.io/charts/', name: 'dify', version: '0.9.1' } } },
      ['env.yaml: dify.chart.path: "x" is not allowed: is one way to name the chart and repo, name, version another: give one of them']],
    ['a repository chart without a version', { dify: { version: '1.13.3', chart: { repo: 'https://douban.github.io/charts/', name: 'dify' } } },
      ['env.yaml: dify.chart.version: nothing is not allowed: a repository chart needs repo, name and an exact version']],
    ['a version range', { dify: { version: '1.13.3', chart: { repo: 'https://douban.github.io/charts/', name: 'dify', version: '~0.9.0' } } },
      ['env.yaml: dify.chart.version: "~0.9.0" is not allowed: must be an exact chart version such as 0.9.1 (a range would render whatever the repository serves next)']],
    ['a repository that is no URL', { dify: { version: '1.13.3', chart: { repo: 'douban', name: 'dify', version: '0.9.1' } } },
      ['env.yaml: dify.chart.repo: "douban" is not allowed: must be a chart repository URL: https://... or oci://...']],
    ['no Dify version', { dify: { chart } },
      ['env.yaml: dify.version: nothing is not allowed: with dify.chart the Dify version must be given: the chart\'s images are pinned to it and the migration Job runs it']],
    ['a setting only the native tier reads', { dify: { version: '1.13.3', chart, api: { replicas: 3 } } },
      ['env.yaml: dify.api: {"replicas":3} is not allowed: is a setting of the native app tier; with dify.chart the chart\'s values decide it (dify.chart.values)']],
    ['an image pinned by digest alone', { dify: { version: '1.13.3', chart, images: { api: `langgenius/dify-api@sha256:${'a'.repeat(64)}` } } },
      [`env.yaml: dify.images.api: "langgenius/dify-api@sha256:${'a'.repeat(32)}... is not allowed: the chart writes images as repository:tag: give a tag, with the digest after it if you pin one (repository:tag@sha256:...)`]],
    ['extra hosts', { dify: { version: '1.13.3', chart, ingress: { extraHosts: ['b.example.com'] } } },
      ['env.yaml: dify.ingress.extraHosts: ["b.example.com"] is not allowed: the chart\'s Ingress serves one host: dify.host']],
    ['the host in the values', { dify: { version: '1.13.3', chart: { ...chart, values: { global: { host: 'a.example.com' } } } } },
      ['env.yaml: dify.chart.values.global.host: "a.example.com" is not allowed: the platform sets it; to change it use dify.host']],
    ['the chart\'s embedded Redis', { dify: { version: '1.13.3', chart: { ...chart, values: { redis: { embedded: true } } } } },
      ['env.yaml: dify.chart.values.redis: {"embedded":true} is not allowed: the platform sets it; to change it use redis (the platform\'s Redis cluster replaces the chart\'s embedded one)']],
    ['an image in the values', { dify: { version: '1.13.3', chart: { ...chart, values: { api: { image: { tag: 'latest' } } } } } },
      ['env.yaml: dify.chart.values.api.image: {"tag":"latest"} is not allowed: the platform sets it; to change it use dify.version and dify.images']],
    ['the blog\'s hand-typed broker URL', { dify: { version: '0.6.11', chart: { ...chart, values: { global: { extraBackendEnvs: [
      { name: 'CELERY_BROKER_URL', value: 'redis://default:pasted@redis-redis-redis:6379/1' }] } } } } },
      ['env.yaml: dify.chart.values.global.extraBackendEnvs[0].name: "CELERY_BROKER_URL" is not allowed: the platform sets CELERY_BROKER_URL; to change it use redis and dify.redisMode']],
    ['the blog\'s migration on start', { dify: { version: '0.6.11', chart: { ...chart, values: { api: { envs: [{ name: 'MIGRATION_ENABLED', value: 'true' }] } } } } },
      ['env.yaml: dify.chart.values.api.envs[0].name: "MIGRATION_ENABLED" is not allowed: the platform sets MIGRATION_ENABLED; to change it use nothing: the platform sets it per component (only the migration Job migrates)']],
    ['a credential as a value', { dify: { version: '1.13.3', chart: { ...chart, values: { api: { envs: [{ name: 'OPENAI_API_KEY', value: 'sk-1' }] } } } } },
      ['env.yaml: dify.chart.values.api.envs[0].value: "(hidden)" is not allowed: OPENAI_API_KEY looks like a credential: give it with valueFrom.secretKeyRef, never as a value in git']],
    ['the sandbox key in the values', { dify: { version: '1.13.3', chart: { ...chart, values: { sandbox: { apiKey: 'dify-sandbox' } } } } },
      ['env.yaml: dify.chart.values.sandbox.apiKey: "(hidden)" is not allowed: is a credential in git; the platform\'s Secret gives it to the containers in its place']],
    ['an env list that is no list', { dify: { version: '1.13.3', chart: { ...chart, values: { worker: { envs: 'A=1' } } } } },
      ['env.yaml: dify.chart.values.worker.envs: "A=1" is not allowed: must be a list of environment variables ({name, value} or {name, valueFrom})']],
  ])('%s', (_case, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  test('a chart with values of the user\'s own, the chart\'s own service wiring included, is taken', () => {
    expect(problems({ dify: { version: '1.13.3', chart: { repo: 'oci://registry.example.com/charts', name: 'dify', version: '0.9.1', values: {
      api: { replicaCount: 2, envs: [{ name: 'CODE_MAX_NUMBER', value: '1' }] },
      pluginDaemon: { envs: [{ name: 'SERVER_PORT', value: '5002' }, { name: 'MAX_PLUGIN_PACKAGE_SIZE', value: '104857600' }] },
      global: { extraBackendEnvs: [{ name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'llm', key: 'openai' } } }] },
    } } } })).toEqual([]);
  });
});

describe('a credential in a URL is refused wherever a URL is taken, and never shown', () => {
  const SECRET = 's3cr3t-VALUE-42';
  test.each([
    ['?api-key=', `https://xyz.cloud.qdrant.io:6333/?api-key=${SECRET}`, 'api-key'],
    ['?access_token=', `https://q.example.org/?access_token=${SECRET}`, 'access_token'],
    ['?X-Amz-Security-Token=', `https://q.example.org/?X-Amz-Security-Token=${SECRET}&X-Amz-Date=1`, 'X-Amz-Security-Token'],
    ['?pwd=', `https://q.example.org/?pwd=${SECRET}`, 'pwd'],
    ['?Authorization=', `https://q.example.org/?Authorization=Bearer%20${SECRET}`, 'Authorization'],
  ])('%s in a query', (_case, url, key) => {
    for (const input of [
      { qdrant: { external: { url } } },
      { dify: { chart: { repo: url, name: 'dify', version: '1.0.0' } } },
      { backupRepo: { provider: 'minio', bucket: 'kb-backups', endpoint: url, credentialsSecret: { name: 's' } } },
    ]) {
      const lines = problems(input);
      expect(lines).toEqual([expect.stringMatching(new RegExp(`"\\(hidden\\)" is not allowed: holds a credential in its query \\(${key}\\)`))]);
      expect(lines.join('\n')).not.toContain(SECRET);
    }
  });

  test('a user:password@ part, too', () => {
    const lines = problems({ qdrant: { external: { url: `https://admin:${SECRET}@q.example.org` } } });
    expect(lines).toEqual(['env.yaml: qdrant.external.url: "(hidden)" is not allowed: holds a credential (user:password@), which would reach dist/ and git in plain text: give the URL without it and the credential through the setting\'s Secret']);
  });
});

describe('a database or vector store is a server Dify can reach', () => {
  test.each(['127.0.0.1', '127.10.0.5', 'localhost', 'db.localhost', '::1', '169.254.169.254', '169.254.10.1', 'fe80::1', '0.0.0.0', '::'])('%s is refused as a host', (host) => {
    expect(problems({ postgresql: { external: { host, credentialsSecret: 'pg' } } })).toEqual([
      expect.stringMatching(/^env\.yaml: postgresql\.external\.host: .* is not allowed: must be a server Dify can reach: loopback/)]);
    expect(problems({ redis: { external: { host, credentialsSecret: 'r' } } })).toHaveLength(1);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:6333`;
    expect(problems({ qdrant: { external: { url } } })).toEqual([expect.stringMatching(/^env\.yaml: qdrant\.external\.url: .* is not allowed: must be a server Dify can reach/)]);
  });

  test.each(['10.0.0.5', 'db.internal.example.org', '192.168.1.20', 'fd12::5'])('%s is a host', (host) => {
    expect(problems({ postgresql: { external: { host, credentialsSecret: 'pg' } } })).toEqual([]);
  });
});

describe('the platform\'s namespace', () => {
  test.each([
    [{ namespace: 'kb-system' }, 'its default'],
    [{ namespace: 'kubeblocks', kubeblocks: { namespace: 'kubeblocks' } }, 'kubeblocks.namespace'],
  ])('is never the KubeBlocks operator\'s (%o)', (input, which) => {
    expect(problems(input)).toEqual([`env.yaml: namespace: "${input.namespace}" is not allowed: is the KubeBlocks operator's namespace (${which}): a platform needs a namespace of its own, such as dify`]);
  });
});

describe('labels and annotations within what Kubernetes takes, at a cost bounded by the limits', () => {
  const many = (count: number, size = 1) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`example.com/a${i}`, 'v'.repeat(size)]));

  test('14,000 annotations are refused in one line, before anything is built', () => {
    expect(problems({ commonAnnotations: many(14000) })).toEqual(['env.yaml: commonAnnotations: "(14000 annotations)" is not allowed: holds 14000 annotations; at most 128 are taken']);
  });

  test('annotations over 64 KiB in one setting are refused, naming the size', () => {
    expect(problems({ dify: { pods: { annotations: many(100, 1000) } } })).toEqual([
      expect.stringMatching(/^env\.yaml: dify\.pods\.annotations: "\(\d+ bytes of annotations\)" is not allowed: holds \d+ bytes of annotations; at most 65536 are taken \(Kubernetes refuses an object's annotations over 256 KiB in all\)$/)]);
  });

  test('too many labels are refused; the limits themselves are taken', () => {
    expect(problems({ commonLabels: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`example.com/l${i}`, 'x'])) }))
      .toEqual(['env.yaml: commonLabels: "(129 labels)" is not allowed: holds 129 labels; at most 128 are taken']);
    expect(problems({ commonAnnotations: many(128, 480) })).toEqual([]);
  });
});
