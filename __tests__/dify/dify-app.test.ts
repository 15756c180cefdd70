import { DifyPlatform, DifyPlatformProps } from '../../lib';
import { allPodSpecs, byKindAndName, envOf, mainContainer, podSpec } from '../helpers/dify';

const initContainer = (object: Manifest, name: string) => podSpec(object).initContainers.find((container: any) => container.name === name);
import { Manifest, synthPlatform, testChart } from '../helpers/synth';

const deploymentNames = (objects: Manifest[]) => objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort();

describe('the Dify tier: components per version', () => {
  test('1.13.3 runs every component, each serving one behind its Service', () => {
    const objects = synthPlatform();

    expect(deploymentNames(objects)).toEqual(['dify-api', 'dify-beat', 'dify-plugin-daemon', 'dify-sandbox', 'dify-ssrf-proxy', 'dify-web', 'dify-worker']);
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort())
      .toEqual(['dify-api', 'dify-minio', 'dify-plugin-daemon', 'dify-sandbox', 'dify-ssrf-proxy', 'dify-web']);
  });

  test('0.6.11 runs no plugin daemon and no beat, and only creates the dify database', () => {
    const objects = synthPlatform({ dify: { version: '0.6.11' } });

    expect(deploymentNames(objects)).toEqual(['dify-api', 'dify-sandbox', 'dify-ssrf-proxy', 'dify-web', 'dify-worker']);
    expect(envOf(mainContainer(byKindAndName(objects, 'Job', /^dify-db-init-/))).DATABASES).toBe('dify');
  });

  test('0.6.11 migrates once in a Job running its own migration command, never on api start', () => {
    const objects = synthPlatform({ dify: { version: '0.6.11', api: { replicas: 3 } } });
    const job = byKindAndName(objects, 'Job', /^dify-migrate-0-6-11-[0-9a-f]{8}$/);

    // The 0.6.11 entrypoint migrates only on its way to starting gunicorn, so the Job runs the command itself.
    expect(initContainer(job, 'migrate').command).toEqual(['flask', 'db', 'upgrade']);
    expect(job.spec).toMatchObject({ parallelism: 1, completions: 1 });
    for (const name of ['dify-api', 'dify-worker']) {
      expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', name))).MIGRATION_ENABLED).toBe('false');
    }
  });

  test.each([['0.6.11', 'tcpSocket'], ['1.13.3', 'httpGet']])('the sandbox of Dify %s is probed the way its tag answers (%s)', (version, kind) => {
    const sandbox = mainContainer(byKindAndName(synthPlatform({ dify: { version } }), 'Deployment', 'dify-sandbox'));

    // Sandbox 0.2.1 has no /health and answers 401 without the key: an HTTP probe would restart it forever.
    expect(Object.keys(sandbox.readinessProbe)).toContain(kind);
    expect(Object.keys(sandbox.livenessProbe)).toContain(kind);
    expect(sandbox.readinessProbe.tcpSocket?.port ?? sandbox.readinessProbe.httpGet?.port).toBe(8194);
  });

  test('plugin packages up to the daemon\'s limit are accepted by api and worker too, and the limit is one setting', () => {
    const env = (objects: Manifest[], name: string) => envOf(mainContainer(byKindAndName(objects, 'Deployment', name)));
    const defaults = synthPlatform();
    const raised = synthPlatform({ dify: { pluginDaemon: { maxPackageSize: '200Mi' } } });

    expect(['dify-api', 'dify-worker'].map((name) => env(defaults, name).PLUGIN_MAX_PACKAGE_SIZE)).toEqual(['52428800', '52428800']);
    expect(env(defaults, 'dify-plugin-daemon').MAX_PLUGIN_PACKAGE_SIZE).toBe('52428800');
    expect(['dify-api', 'dify-worker', 'dify-plugin-daemon'].map((name) => env(raised, name)))
      .toEqual([expect.objectContaining({ PLUGIN_MAX_PACKAGE_SIZE: '209715200' }), expect.objectContaining({ PLUGIN_MAX_PACKAGE_SIZE: '209715200' }),
        expect.objectContaining({ MAX_PLUGIN_PACKAGE_SIZE: '209715200' })]);
  });

  test('Qdrant collections are created with copies on as many peers as the cluster allows', () => {
    const factor = (props: DifyPlatformProps) => envOf(mainContainer(byKindAndName(synthPlatform(props), 'Deployment', 'dify-api'))).QDRANT_REPLICATION_FACTOR;

    expect(factor({})).toBe('2');
    expect(factor({ qdrant: { replicas: 1 } })).toBe('1');
    expect(factor({ qdrant: { replicas: 5, replicationFactor: 3 } })).toBe('3');
    expect(() => synthPlatform({ qdrant: { replicas: 2, replicationFactor: 3 } })).toThrow('qdrant.replicationFactor: 3 is not allowed: must be at most qdrant.replicas (2)');
  });

  test('Sentinel mode is refused for Dify 0.6.11, which has no Sentinel support', () => {
    expect(() => synthPlatform({ dify: { version: '0.6.11', redisMode: 'sentinel' } }))
      .toThrow('dify.redisMode: "sentinel" is not allowed: Dify 0.6.11 has no Redis Sentinel support');
  });

  test('images are pinned to the version and its matching sandbox and plugin daemon', () => {
    const images = allPodSpecs(synthPlatform()).flatMap(([, spec]) => [...(spec.initContainers ?? []), ...spec.containers].map((c: any) => c.image));

    expect(images).toEqual(expect.arrayContaining(['langgenius/dify-api:1.16.1', 'langgenius/dify-web:1.16.1',
      'langgenius/dify-sandbox:0.2.15', 'langgenius/dify-plugin-daemon:0.6.3-local']));
    for (const image of images) expect(image).toMatch(/^[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
    for (const image of images) expect(image).not.toMatch(/:latest$/);
  });
});

describe('the Dify tier: wiring from the data tier contracts', () => {
  const platform = new DifyPlatform(testChart(), 'p', {});
  const objects = synthPlatform();
  const api = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')));

  test('the database comes from the PostgreSQL connection, credentials by secretKeyRef', () => {
    expect(api).toMatchObject({
      DB_HOST: platform.postgresql.host,
      DB_PORT: String(platform.postgresql.port),
      DB_DATABASE: 'dify',
      DB_USERNAME: `secret:${platform.postgresql.superuser.username.name}/username`,
      DB_PASSWORD: `secret:${platform.postgresql.superuser.password.name}/password`,
    });
  });

  test('Redis and the Celery broker come from the Redis connection, the broker URL without a written password', () => {
    expect(api).toMatchObject({
      REDIS_HOST: platform.redis.host,
      REDIS_PORT: '6379',
      REDIS_PASSWORD: `secret:${platform.redis.password.name}/password`,
      CELERY_BROKER_URL: 'redis://$(REDIS_USERNAME):$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/1',
    });
  });

  test('every $(VAR) in an env value names a variable defined before it in the same container', () => {
    for (const [where, spec] of allPodSpecs(objects)) {
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        const defined = new Set<string>();
        for (const variable of container.env ?? []) {
          for (const [, name] of String(variable.value ?? '').matchAll(/\$\(([A-Z_]+)\)/g)) {
            expect([where, variable.name, name, defined.has(name)]).toEqual([where, variable.name, name, true]);
          }
          defined.add(variable.name);
        }
      }
    }
  });

  test('Qdrant, sandbox, SSRF proxy and plugin daemon are wired to their Services with paired keys', () => {
    const sandbox = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-sandbox')));
    const daemon = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-plugin-daemon')));

    expect(api.QDRANT_URL).toBe(platform.qdrant?.httpUrl);
    expect(api.CODE_EXECUTION_ENDPOINT).toBe('http://dify-sandbox:8194');
    expect(api.CODE_EXECUTION_API_KEY).toBe(sandbox.API_KEY);
    expect(sandbox.HTTP_PROXY).toBe(api.SSRF_PROXY_HTTP_URL);
    expect(api.PLUGIN_DAEMON_URL).toBe('http://dify-plugin-daemon:5002');
    expect(api.PLUGIN_DAEMON_KEY).toBe(daemon.SERVER_KEY);
    expect(api.INNER_API_KEY_FOR_PLUGIN).toBe(daemon.DIFY_INNER_API_KEY);
    expect(daemon).toMatchObject({ DIFY_INNER_API_URL: 'http://dify-api:5001', DB_DATABASE: 'dify_plugin', DB_HOST: platform.postgresql.host });
  });

  test('public URLs follow the host and scheme', () => {
    const tls = envOf(mainContainer(byKindAndName(synthPlatform({ dify: { host: 'ai.example.org', tls: { enabled: true, secretName: 'tls' } } }), 'Deployment', 'dify-api')));

    expect(api.CONSOLE_API_URL).toBe('http://dify.example.com');
    expect(tls).toMatchObject({ CONSOLE_WEB_URL: 'https://ai.example.org', ENDPOINT_URL_TEMPLATE: 'https://ai.example.org/e/{hook_id}' });
  });

  test('APP_API_URL goes to web, the only program that reads it', () => {
    const objects = synthPlatform();
    const holders = allPodSpecs(objects).filter(([, spec]) => spec.containers.some((container: any) => 'APP_API_URL' in envOf(container)));

    expect(holders.map(([where]) => where)).toEqual(['Deployment/dify-web']);
  });

  test('Sentinel mode sends api, Celery and the plugin daemon through Sentinel, but keeps REDIS_HOST on the primary', () => {
    const sentinelObjects = synthPlatform({ dify: { redisMode: 'sentinel' } });
    const sentinelApi = envOf(mainContainer(byKindAndName(sentinelObjects, 'Deployment', 'dify-api')));
    const daemon = envOf(mainContainer(byKindAndName(sentinelObjects, 'Deployment', 'dify-plugin-daemon')));
    const sentinel = platform.redis.sentinel!;

    expect(sentinelApi).toMatchObject({
      REDIS_HOST: platform.redis.host,
      REDIS_USE_SENTINEL: 'true',
      REDIS_SENTINELS: sentinel.endpoints.join(','),
      REDIS_SENTINEL_SERVICE_NAME: 'redis-redis',
      REDIS_SENTINEL_PASSWORD: `secret:${sentinel.password.name}/password`,
      CELERY_USE_SENTINEL: 'true',
      CELERY_SENTINEL_MASTER_NAME: 'redis-redis',
      CELERY_BROKER_URL: sentinel.endpoints.map((endpoint) => `sentinel://:$(REDIS_PASSWORD)@${endpoint}/1`).join(';'),
    });
    expect(daemon).toMatchObject({ REDIS_USE_SENTINEL: 'true', REDIS_SENTINEL_SERVICE_NAME: 'redis-redis' });
  });

  test('extra env reaches all backends, and a component\'s own env wins', () => {
    const extra = synthPlatform({ dify: { backendEnv: [{ name: 'LOG_LEVEL', value: 'DEBUG' }], worker: { env: [{ name: 'LOG_LEVEL', value: 'WARNING' }] } } });

    expect(envOf(mainContainer(byKindAndName(extra, 'Deployment', 'dify-api'))).LOG_LEVEL).toBe('DEBUG');
    expect(envOf(mainContainer(byKindAndName(extra, 'Deployment', 'dify-worker'))).LOG_LEVEL).toBe('WARNING');
    expect(mainContainer(byKindAndName(extra, 'Deployment', 'dify-worker')).env.filter((v: any) => v.name === 'LOG_LEVEL')).toHaveLength(1);
  });
});

describe('the Dify tier: secrets', () => {
  test('by default a bootstrap Job with least RBAC generates the app Secret, and workloads read it', () => {
    const objects = synthPlatform();
    const role = byKindAndName(objects, 'Role', 'dify-bootstrap');
    const job = byKindAndName(objects, 'Job', /^dify-bootstrap-secrets-/);

    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['dify-app-secrets'], verbs: ['get', 'patch'] },
    ]);
    expect(podSpec(job).serviceAccountName).toBe('dify-bootstrap');
    expect(envOf(mainContainer(job)).GENERATED_ENTRIES).toBe('SECRET_KEY SANDBOX_API_KEY PLUGIN_DAEMON_KEY INNER_API_KEY_FOR_PLUGIN '
      + 'MINIO_ROOT_USER MINIO_ROOT_PASSWORD AGENT_API_TOKEN AGENT_SERVER_SECRET_KEY:32 LOCAL_SANDBOX_TOKEN MILVUS_PASSWORD');
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api'))).SECRET_KEY).toBe('secret:dify-app-secrets/SECRET_KEY');
  });

  test('an existing Secret replaces the bootstrap entirely', () => {
    const objects = synthPlatform({ dify: { existingSecret: 'dify-from-vault' } });

    expect(objects.filter((o) => ['Role', 'RoleBinding', 'ServiceAccount'].includes(o.kind))).toEqual([]);
    expect(objects.some((o) => o.metadata.name.startsWith('dify-bootstrap'))).toBe(false);
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-sandbox'))).API_KEY).toBe('secret:dify-from-vault/SANDBOX_API_KEY');
  });
});

describe('the Dify tier: Jobs', () => {
  test('a migration Job per version runs flask upgrade-db once, and the api does not migrate', () => {
    const objects = synthPlatform();
    const job = byKindAndName(objects, 'Job', /^dify-migrate-1-16-1-[0-9a-f]{8}$/);

    expect(envOf(initContainer(job, 'migrate'))).toMatchObject({ MODE: 'migration', MIGRATION_ENABLED: 'true' });
    expect(job.spec).toMatchObject({ parallelism: 1, completions: 1 });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api'))).MIGRATION_ENABLED).toBe('false');
  });

  test('Job names change with their spec and only then', () => {
    const jobNames = (props: DifyPlatformProps) => synthPlatform(props).filter((o) => o.kind === 'Job').map((o) => o.metadata.name);

    expect(jobNames({})).toEqual(jobNames({}));
    const migrate = jobNames({}).find((name) => name.startsWith('dify-migrate-'));
    expect(jobNames({ dify: { backendEnv: [{ name: 'X', value: '1' }] } })).not.toContain(migrate);
    expect(jobNames({ dify: { web: { replicas: 5 } } })).toContain(migrate);
  });

  test('the database Job creates dify and dify_plugin from the superuser Secret, waiting for the primary', () => {
    const objects = synthPlatform();
    const job = byKindAndName(objects, 'Job', /^dify-db-init-/);
    const script = byKindAndName(objects, 'ConfigMap', job.metadata.name);

    expect(envOf(mainContainer(job))).toMatchObject({ PGHOST: 'postgresql-postgresql-postgresql', DATABASES: 'dify dify_plugin',
      PGPASSWORD: 'secret:postgresql-postgresql-account-postgres/password' });
    expect(script.data['create-databases.sh']).toContain('CREATE DATABASE');
    expect(mainContainer(job).command).toEqual(['/bin/sh', '/scripts/create-databases.sh']);
  });

  test('the migration Job succeeds only once the schema is at the head of the image it migrated with', () => {
    const objects = synthPlatform();
    const job = byKindAndName(objects, 'Job', /^dify-migrate-1-16-1-[0-9a-f]{8}$/);
    const spec = podSpec(job);
    const gate = byKindAndName(objects, 'ConfigMap', /^dify-schema-gate-[0-9a-f]{8}$/);

    // In order: the Redis credentials fit the broker URL, the database is up, the migration ran (or was skipped for a
    // held lock), the image's head is read.
    expect(spec.initContainers.map((container: any) => container.name)).toEqual(['check-broker-credentials', 'wait-for-database', 'migrate', 'schema-head']);
    expect(initContainer(job, 'schema-head').image).toBe(initContainer(job, 'migrate').image);
    expect(initContainer(job, 'schema-head').command).toEqual(['python3', '/schema-gate/schema-heads.py', '/app/api/migrations/versions', '/schema/heads']);
    // The Job's one container is the check: bounded, so a skipped migration fails the pod and the Job retries it.
    expect(mainContainer(job).command).toEqual(['/bin/sh', '/schema-gate/wait-for-schema.sh']);
    expect(envOf(mainContainer(job))).toMatchObject({ WAIT_DATABASE: 'dify', HEADS_FILE: '/schema/heads', WAIT_SECONDS: '90' });
    expect(Number(envOf(mainContainer(job)).WAIT_SECONDS)).toBeGreaterThan(60);
    expect(spec.volumes).toContainEqual({ name: 'schema-gate', configMap: { name: gate.metadata.name, defaultMode: 0o555 } });
    expect(Object.keys(gate.data).sort()).toEqual(['schema-heads.py', 'wait-for-schema.sh']);
  });

  test.each(['0.6.11', '1.13.3', '1.16.1'])('the api image\'s workloads (Dify %s) wait for the database and for their schema', (version) => {
    const objects = synthPlatform({ dify: { version, collaboration: version === '1.16.1' ? { enabled: true } : undefined } });
    const api = podSpec(byKindAndName(objects, 'Deployment', 'dify-api'));
    const names = ['dify-api', 'dify-worker', ...(version === '0.6.11' ? [] : ['dify-beat']), ...(version === '1.16.1' ? ['dify-api-websocket'] : [])];

    for (const name of names) {
      const spec = podSpec(byKindAndName(objects, 'Deployment', name));
      expect([name, spec.initContainers.map((container: any) => container.name)]).toEqual([name, ['schema-head', 'wait-for-schema']]);
      expect(spec.initContainers[0].image).toBe(spec.containers[0].image);
      // Unbounded: a pod of the new version holds until the migration Job is done, however the objects were applied.
      expect(envOf(spec.initContainers[1])).toMatchObject({ WAIT_DATABASE: 'dify', WAIT_SECONDS: '0' });
      expect(spec.volumes).toEqual(expect.arrayContaining(api.volumes.filter((volume: any) => volume.name.startsWith('schema-'))));
    }
  });

  test('pods applied with kubectl wait for their database in an init container', () => {
    const objects = synthPlatform();

    for (const name of ['dify-api', 'dify-worker', 'dify-beat']) {
      expect(envOf(podSpec(byKindAndName(objects, 'Deployment', name)).initContainers[1]).WAIT_DATABASE).toBe('dify');
    }
    expect(envOf(podSpec(byKindAndName(objects, 'Deployment', 'dify-plugin-daemon')).initContainers[0]).WAIT_DATABASE).toBe('dify_plugin');
  });
});

describe('the Dify tier: storage', () => {
  test('embedded MinIO by default: a StatefulSet with a volume, a bucket Job, S3 variables from the app Secret', () => {
    const objects = synthPlatform();
    const api = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')));

    expect(byKindAndName(objects, 'StatefulSet', 'dify-minio').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    byKindAndName(objects, 'Job', /^dify-minio-bucket-/);
    expect(api).toMatchObject({ STORAGE_TYPE: 's3', S3_ENDPOINT: 'http://dify-minio:9000', S3_BUCKET_NAME: 'dify', S3_ADDRESS_STYLE: 'path',
      S3_ACCESS_KEY: 'secret:dify-app-secrets/MINIO_ROOT_USER', S3_SECRET_KEY: 'secret:dify-app-secrets/MINIO_ROOT_PASSWORD' });
  });

  test('an external S3 store takes its credentials from the user\'s Secret and runs no MinIO', () => {
    const objects = synthPlatform({ dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'files', credentialsSecret: 's3' } } } });

    expect(objects.some((o) => o.metadata.name.startsWith('dify-minio'))).toBe(false);
    expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-worker')))).toMatchObject({
      S3_ENDPOINT: 'https://s3.example.org', S3_BUCKET_NAME: 'files', S3_ACCESS_KEY: 'secret:s3/access-key', S3_SECRET_KEY: 'secret:s3/secret-key' });
  });

  test.each([['1.13.3', { STORAGE_TYPE: 'opendal', OPENDAL_FS_ROOT: '/app/api/storage' }], ['0.6.11', { STORAGE_TYPE: 'local', STORAGE_LOCAL_PATH: '/app/api/storage' }]])(
    'a ReadWriteMany volume is shared by api and worker (Dify %s)', (version, expected) => {
      const objects = synthPlatform({ dify: { version, storage: { type: 'volume', volume: { size: '50Gi' } } } });

      expect(byKindAndName(objects, 'PersistentVolumeClaim', 'dify-storage').spec.accessModes).toEqual(['ReadWriteMany']);
      for (const name of ['dify-api', 'dify-worker']) {
        const deployment = byKindAndName(objects, 'Deployment', name);
        expect(envOf(mainContainer(deployment))).toMatchObject(expected);
        expect(podSpec(deployment).volumes.filter((volume: any) => !volume.name.startsWith('schema-'))).toEqual([{ name: 'storage', persistentVolumeClaim: { claimName: 'dify-storage' } }]);
      }
    });

  test('the plugin daemon keeps its store on a ReadWriteOnce volume and is replaced with Recreate', () => {
    const daemon = byKindAndName(synthPlatform(), 'Deployment', 'dify-plugin-daemon');

    expect(daemon.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(podSpec(daemon).volumes[0]).toEqual({ name: 'storage', persistentVolumeClaim: { claimName: 'dify-plugin-storage' } });
  });
});

describe('the Dify tier: routing', () => {
  test('the Ingress routes every path of the version, with streaming-friendly nginx settings', () => {
    const ingress = byKindAndName(synthPlatform(), 'Ingress', 'dify-ingress');
    const rule = ingress.spec.rules[0];

    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(rule.host).toBe('dify.example.com');
    expect(rule.http.paths.map((p: any) => `${p.path} ${p.backend.service.name}:${p.backend.service.port.number}`)).toEqual([
      '/console/api dify-api:5001', '/api dify-api:5001', '/v1 dify-api:5001', '/files dify-api:5001', '/mcp dify-api:5001',
      '/triggers dify-api:5001', '/openapi dify-api:5001', '/e/ dify-plugin-daemon:5002', '/ dify-web:3000']);
    expect(ingress.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600', 'nginx.ingress.kubernetes.io/proxy-body-size': '100m' });
    expect(ingress.spec.tls).toBeUndefined();
  });

  test('TLS, another class and extra annotations', () => {
    const ingress = byKindAndName(synthPlatform({ dify: { host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' },
      ingress: { className: 'traefik', annotations: { 'cert-manager.io/cluster-issuer': 'le' } } } }), 'Ingress', 'dify-ingress');

    expect(ingress.spec.tls).toEqual([{ hosts: ['ai.example.org'], secretName: 'ai-tls' }]);
    expect(ingress.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3', 'cert-manager.io/cluster-issuer': 'le' });
  });

  test('no Ingress when it is turned off', () => {
    expect(synthPlatform({ dify: { ingress: { enabled: false } } }).some((o) => o.kind === 'Ingress')).toBe(false);
  });
});

describe('the Dify tier: how pods run', () => {
  const objects = synthPlatform();

  test('no Service is named dify, and no pod gets service links', () => {
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).not.toContain('dify');
    for (const [where, spec] of allPodSpecs(objects)) expect([where, spec.enableServiceLinks]).toEqual([where, false]);
  });

  test('every container refuses privilege escalation, pulls only when missing and has requests and limits', () => {
    for (const [where, spec] of allPodSpecs(objects)) {
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect([where, container.name, container.securityContext?.allowPrivilegeEscalation, container.imagePullPolicy])
          .toEqual([where, container.name, false, 'IfNotPresent']);
        expect(container.resources.requests).toBeDefined();
        expect(container.resources.limits).toBeDefined();
      }
    }
  });

  test('only the bootstrap Job gets a service account token', () => {
    const withToken = allPodSpecs(objects).filter(([, spec]) => spec.automountServiceAccountToken !== false).map(([where]) => where);

    expect(withToken).toEqual([expect.stringMatching(/^Job\/dify-bootstrap-secrets-/)]);
  });

  test('components with a health endpoint have readiness and liveness probes', () => {
    const probes = (name: string) => mainContainer(byKindAndName(objects, 'Deployment', name)).readinessProbe;

    expect(probes('dify-api').httpGet.path).toBe('/health');
    expect(probes('dify-web').httpGet).toMatchObject({ path: '/apps', httpHeaders: [{ name: 'accept-language', value: 'en' }] });
    expect(probes('dify-sandbox').httpGet.path).toBe('/health');
    expect(probes('dify-plugin-daemon').httpGet.path).toBe('/health/check');
    expect(mainContainer(byKindAndName(objects, 'Deployment', 'dify-worker')).readinessProbe).toBeUndefined();
  });

  test('beat runs one replica with Recreate; replicas and resources follow the settings', () => {
    const custom = synthPlatform({ dify: { api: { replicas: 4, resources: { requests: { cpu: '2', memory: '3Gi' }, limits: { cpu: '4', memory: '6Gi' } } } } });

    expect(byKindAndName(objects, 'Deployment', 'dify-beat').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const api = byKindAndName(custom, 'Deployment', 'dify-api');
    expect(api.spec.replicas).toBe(4);
    expect(mainContainer(api).resources).toEqual({ requests: { cpu: '2', memory: '3Gi' }, limits: { cpu: '4', memory: '6Gi' } });
  });

  test('raising only a request raises its limit with it, as for the databases', () => {
    const worker = byKindAndName(synthPlatform({ dify: { worker: { resources: { requests: { memory: '4Gi' } } } } }), 'Deployment', 'dify-worker');

    expect(mainContainer(worker).resources).toEqual({ requests: { cpu: '250m', memory: '4Gi' }, limits: { cpu: '1', memory: '4Gi' } });
  });
});

describe('the Dify tier: disruption budgets', () => {
  test('components with two or more replicas keep one through a node drain; single replicas get no budget', () => {
    const objects = synthPlatform({ dify: { worker: { replicas: 3 } } });
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');

    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['dify-api', 'dify-web', 'dify-worker']);
    expect(budgets[0].spec).toEqual({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': 'api' } } });
  });
});

describe('the Dify tier: in-cluster addresses', () => {
  test.each<[string, DifyPlatformProps]>([['1.16.1', {}], ['1.16.1 with collaboration and Agent v2', { dify: { collaboration: { enabled: true }, agent: { enabled: true } } }],
    ['1.13.3', { dify: { version: '1.13.3' } }], ['0.6.11', { dify: { version: '0.6.11' } }]])(
    'every dify-* URL and Ingress backend of Dify %s names a Service the platform creates, on a port it exposes', (_v, props) => {
      const objects = synthPlatform(props);
      const exposed = new Set(objects.filter((o) => o.kind === 'Service').flatMap((o) => o.spec.ports.map((p: any) => `${o.metadata.name}:${p.port}`)));
      const fromEnv = allPodSpecs(objects).flatMap(([, spec]) => [...(spec.initContainers ?? []), ...spec.containers])
        .flatMap((container: any) => (container.env ?? []).flatMap((v: any) => [...String(v.value ?? '').matchAll(/http:\/\/(dify-[a-z-]+:\d+)/g)].map((m) => m[1])));
      const fromIngress = objects.filter((o) => o.kind === 'Ingress')
        .flatMap((o) => o.spec.rules[0].http.paths.map((p: any) => `${p.backend.service.name}:${p.backend.service.port.number}`));

      expect(fromEnv.length).toBeGreaterThan(3);
      expect([...new Set([...fromEnv, ...fromIngress])].filter((address) => !exposed.has(address))).toEqual([]);
    });
});
