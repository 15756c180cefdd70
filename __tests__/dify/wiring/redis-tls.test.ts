/**
 * TLS to an external Redis (`redis.external.tls`): what every program that talks to Redis is told, per component and
 * per Dify version, the CA bundle's volume, and the settings and versions refused. The connection itself is tested
 * against a real redis-server in redis-tls-server.test.ts.
 */
import { DifyPlatformProps } from '../../../lib';
import { DIFY_RELEASES } from '../../../lib/dify/features';
import { describeWithCommunityCharts } from '../../helpers/community-charts';
import { configProblems } from '../../helpers/configs';
import { CHART_0_9_1 } from '../../helpers/platforms';
import { describeWithTool } from '../../helpers/required-tool';
import { byKindAndName, envOf, mainContainer, podSpec } from '../../helpers/dify';
import { Manifest, synthPlatform } from '../../helpers/synth';

const CA = { secretName: 'elasticache-ca', key: 'ca.pem' };
const HOST = 'master.dify.abc123.euw1.cache.amazonaws.com';

function withTls(tls: object, dify: DifyPlatformProps['dify'] = {}): DifyPlatformProps {
  return { redis: { external: { host: HOST, port: 6379, credentialsSecret: 'dify-redis', usernameKey: 'username', tls: { enabled: true, ...tls } } }, dify };
}

const WITH_CA = withTls({ ca: CA }, { version: '1.16.1', agent: { enabled: true }, collaboration: { enabled: true } });
const TLS_VERSIONS = Object.keys(DIFY_RELEASES).filter((version) => version !== '0.6.11');

/** The containers of a pod that run Dify's api image with its Redis (the schema check runs the image without). */
function apiContainers(object: Manifest): any[] {
  return [...(podSpec(object).initContainers ?? []), ...podSpec(object).containers]
    .filter((container: any) => /dify-api:/.test(container.image) && envOf(container).REDIS_HOST !== undefined);
}

/** Every pod that runs the api image with Redis: the Deployments and the Jobs that load Dify. */
function apiImagePods(objects: Manifest[]): Manifest[] {
  return objects.filter((object) => ['Deployment', 'Job'].includes(object.kind) && apiContainers(object).length > 0);
}

describe('the api image\'s processes over TLS', () => {
  const objects = synthPlatform(WITH_CA);

  test('api, worker, beat, the websocket api, the migration Job and the data migration Jobs all connect with TLS, checked against the mounted CA', () => {
    const pods = apiImagePods(objects);
    expect(pods.map((pod) => pod.metadata.name)).toEqual(expect.arrayContaining(['dify-api', 'dify-worker', 'dify-beat', 'dify-api-websocket']));
    expect(pods.filter((pod) => pod.kind === 'Job').length).toBeGreaterThanOrEqual(2);
    for (const pod of pods) {
      for (const container of apiContainers(pod)) {
        const env = envOf(container);
        expect([pod.metadata.name, env.REDIS_USE_SSL, env.REDIS_SSL_CERT_REQS, env.REDIS_SSL_CA_CERTS])
          .toEqual([pod.metadata.name, 'true', 'CERT_REQUIRED', '/etc/dify/redis-ca/ca.crt']);
        expect(container.volumeMounts).toContainEqual({ name: 'redis-ca', mountPath: '/etc/dify/redis-ca', readOnly: true });
      }
      expect(podSpec(pod).volumes).toContainEqual({ name: 'redis-ca', secret: { secretName: 'elasticache-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }] } });
    }
  });

  test('the broker URL has the rediss scheme, which makes Dify give Celery\'s broker and result backend the same check, and no password', () => {
    const env = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-worker')));
    expect(env.CELERY_BROKER_URL).toBe('rediss://$(REDIS_USERNAME):$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/1');
    expect(env.REDIS_PASSWORD).toBe('secret:dify-redis/password');
  });

  test('the event bus is given its URL, with the check and the CA file the api builds no URL with', () => {
    const env = envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')));
    expect(env.PUBSUB_REDIS_URL)
      .toBe('rediss://$(REDIS_USERNAME):$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/0?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fdify%2Fredis-ca%2Fca.crt');
  });

  test.each(TLS_VERSIONS)('Dify %s: the api says TLS in the names its version reads', (version) => {
    const env = envOf(mainContainer(byKindAndName(synthPlatform(withTls({ ca: CA }, { version })), 'Deployment', 'dify-api')));
    expect([env.REDIS_USE_SSL, env.REDIS_SSL_CERT_REQS, env.REDIS_SSL_CA_CERTS]).toEqual(['true', 'CERT_REQUIRED', '/etc/dify/redis-ca/ca.crt']);
    expect(env.CELERY_BROKER_URL).toMatch(/^rediss:\/\//);
    expect(env.PUBSUB_REDIS_URL).toMatch(/^rediss:\/\/.*\?ssl_cert_reqs=required&ssl_ca_certs=/);
  });

  test('without a CA bundle the images\' system roots check the certificate: no file is named and nothing is mounted', () => {
    const api = byKindAndName(synthPlatform(withTls({})), 'Deployment', 'dify-api');
    const env = envOf(mainContainer(api));
    expect([env.REDIS_USE_SSL, env.REDIS_SSL_CERT_REQS, env.REDIS_SSL_CA_CERTS]).toEqual(['true', 'CERT_REQUIRED', undefined]);
    expect(env.PUBSUB_REDIS_URL).toBe('rediss://$(REDIS_USERNAME):$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/0?ssl_cert_reqs=required');
    expect(JSON.stringify(podSpec(api).volumes ?? [])).not.toContain('redis-ca');
  });

  test('verify none encrypts without a check, said to every client', () => {
    const env = envOf(mainContainer(byKindAndName(synthPlatform(withTls({ verify: 'none' })), 'Deployment', 'dify-api')));
    expect(env.REDIS_SSL_CERT_REQS).toBe('CERT_NONE');
    expect(env.PUBSUB_REDIS_URL).toMatch(/\?ssl_cert_reqs=none$/);
  });

  test('a CA bundle from a ConfigMap is mounted from it', () => {
    const api = byKindAndName(synthPlatform(withTls({ ca: { configMapName: 'corp-ca', key: 'bundle.pem' } })), 'Deployment', 'dify-api');
    expect(podSpec(api).volumes).toContainEqual({ name: 'redis-ca', configMap: { name: 'corp-ca', items: [{ key: 'bundle.pem', path: 'ca.crt' }] } });
  });
});

describe('the plugin daemon over TLS', () => {
  const daemonEnv = (props: DifyPlatformProps) => envOf(mainContainer(byKindAndName(synthPlatform(props), 'Deployment', 'dify-plugin-daemon')));

  test.each(TLS_VERSIONS)('Dify %s: with a CA bundle, CERT_REQUIRED and the mounted file', (version) => {
    const daemon = byKindAndName(synthPlatform(withTls({ ca: CA }, { version })), 'Deployment', 'dify-plugin-daemon');
    const env = envOf(mainContainer(daemon));
    expect([env.REDIS_USE_SSL, env.REDIS_SSL_CERT_REQS, env.REDIS_SSL_CA_CERTS]).toEqual(['true', 'CERT_REQUIRED', '/etc/dify/redis-ca/ca.crt']);
    expect(mainContainer(daemon).volumeMounts).toContainEqual({ name: 'redis-ca', mountPath: '/etc/dify/redis-ca', readOnly: true });
  });

  test('without a CA bundle, CERT_OPTIONAL: the daemon panics on CERT_REQUIRED without a CA file, and checks the same under optional', () => {
    const env = daemonEnv(withTls({}));
    expect([env.REDIS_USE_SSL, env.REDIS_SSL_CERT_REQS, env.REDIS_SSL_CA_CERTS]).toEqual(['true', 'CERT_OPTIONAL', undefined]);
  });

  test('verify none is CERT_NONE', () => {
    expect(daemonEnv(withTls({ verify: 'none' })).REDIS_SSL_CERT_REQS).toBe('CERT_NONE');
  });
});

describe('Agent v2\'s backend over TLS', () => {
  test('its Redis URL is rediss, with the check and the mounted CA, and no password', () => {
    const backend = byKindAndName(synthPlatform(WITH_CA), 'Deployment', 'dify-agent-backend');
    expect(envOf(mainContainer(backend)).DIFY_AGENT_REDIS_URL)
      .toBe(`rediss://$(REDIS_USERNAME):$(REDIS_PASSWORD)@${HOST}:6379/2?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fdify%2Fredis-ca%2Fca.crt`);
    expect(podSpec(backend).volumes).toContainEqual({ name: 'redis-ca', secret: { secretName: 'elasticache-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }] } });
  });
});

test('the NetworkPolicies are the same with TLS: the same server and port', () => {
  const policies = (props: DifyPlatformProps) => synthPlatform(props).filter((object) => object.kind === 'NetworkPolicy');
  const plain: DifyPlatformProps = { redis: { external: { host: HOST, port: 6379, credentialsSecret: 'dify-redis', usernameKey: 'username' } }, dify: WITH_CA.dify };
  expect(policies(WITH_CA)).toEqual(policies(plain));
  expect(policies(WITH_CA).length).toBeGreaterThan(0);
});

describe('refused, in one line', () => {
  const external = (tls: object) => ({ redis: { external: { host: HOST, credentialsSecret: 's', tls } } });
  test.each([
    ['optional, which checks as required does', external({ enabled: true, verify: 'optional' }),
      'env.yaml: redis.external.tls.verify: "optional" is not allowed: must be one of required, none: a client checks a certificate under optional exactly as under required (Python\'s ssl, the plugin daemon), so say required'],
    ['a CA bundle in both a Secret and a ConfigMap', external({ enabled: true, ca: { secretName: 'a', configMapName: 'b', key: 'ca.pem' } }),
      'env.yaml: redis.external.tls.ca: {"secretName":"a","configMapName":"b","key":"ca.pem"} is not allowed: must name exactly one of secretName or configMapName, with the key that holds the PEM bundle'],
    ['a CA bundle that verify none would not use', external({ enabled: true, verify: 'none', ca: CA }),
      'env.yaml: redis.external.tls.ca: {"secretName":"elasticache-ca","key":"ca.pem"} is not allowed: checks nothing with verify none: give verify required with a CA bundle, or no CA bundle'],
    ['TLS inside a KubeBlocks Redis', { redis: { tls: true } },
      'env.yaml: redis.tls: true is not allowed: is not available: the KubeBlocks redis addon (0.9.5, 1.0.2) serves no TLS; for TLS to Redis use redis.external with its tls settings'],
    ['Dify 0.6.11, whose Celery checks no certificate', { ...external({ enabled: true }), dify: { version: '0.6.11' } },
      'env.yaml: redis.external.tls.enabled: true is not allowed: is not available with Dify 0.6.11: its Celery broker checks no certificate (api/extensions/ext_celery.py passes ssl_cert_reqs None) and its cache takes no CA bundle; use Dify 1.13.3 or later'],
    ['REDIS_USE_SSL in backendEnv', { dify: { backendEnv: [{ name: 'REDIS_USE_SSL', value: 'true' }] } },
      'env.yaml: dify.backendEnv[0].name: "REDIS_USE_SSL" is not allowed: the platform sets REDIS_USE_SSL; to change it use redis.external.tls'],
    ['REDIS_SSL_CA_CERTS in a component\'s env', { dify: { api: { env: [{ name: 'REDIS_SSL_CA_CERTS', value: '/ca.pem' }] } } },
      'env.yaml: dify.api.env[0].name: "REDIS_SSL_CA_CERTS" is not allowed: the platform sets REDIS_SSL_CA_CERTS; to change it use redis.external.tls'],
    ['an event bus URL of the user\'s', { dify: { backendEnv: [{ name: 'EVENT_BUS_REDIS_URL', value: 'redis://other:6379/0' }] } },
      'env.yaml: dify.backendEnv[0].name: "EVENT_BUS_REDIS_URL" is not allowed: the platform sets EVENT_BUS_REDIS_URL; to change it use redis and dify.redisMode'],
  ])('%s', (_, input, line) => {
    expect(configProblems(input)).toEqual([line]);
  });

  test('a CA bundle with a community chart, whose pods the platform mounts nothing into', () => {
    const problems = configProblems({ ...external({ enabled: true, ca: CA }), dify: { version: '1.13.3', chart: { path: '/charts/dify' } } });
    expect(problems).toContain('env.yaml: redis.external.tls.ca: {"secretName":"elasticache-ca","key":"ca.pem"} is not allowed: is not mounted into a community chart\'s pods: with dify.chart, use a server certificate from a public CA (the images\' system roots), or the native app tier');
  });

  test('accepted: TLS with the defaults, and with a CA bundle', () => {
    expect(configProblems(external({ enabled: true }))).toEqual([]);
    expect(configProblems(external({ enabled: true, verify: 'required', ca: { configMapName: 'corp-ca', key: 'ca.pem' } }))).toEqual([]);
  });
});

describeWithCommunityCharts('the community charts', describeWithTool(Boolean(process.env.DIFY_HELM), 'helm (DIFY_HELM)', 'node scripts/tools.js helm, done by the tests\' global setup'))(
  'a community chart as the app tier over TLS', () => {
    test('its api gets the api\'s TLS variables and its plugin daemon its own (CERT_OPTIONAL without a bundle), never the api\'s CERT_REQUIRED', () => {
      const props: DifyPlatformProps = { ...CHART_0_9_1, redis: withTls({}).redis, dify: { ...CHART_0_9_1.dify, redisMode: 'direct' } };
      const objects = synthPlatform(props);
      const api = envOf(mainContainer(byKindAndName(objects, 'Deployment', /-api$/)));
      expect([api.REDIS_USE_SSL, api.REDIS_SSL_CERT_REQS, api.CELERY_BROKER_URL.slice(0, 9)]).toEqual(['true', 'CERT_REQUIRED', 'rediss://']);
      expect(api.PUBSUB_REDIS_URL).toMatch(/^rediss:\/\/.*\?ssl_cert_reqs=required$/);
      const daemon = envOf(mainContainer(byKindAndName(objects, 'Deployment', /plugin-daemon$/)));
      expect([daemon.REDIS_USE_SSL, daemon.REDIS_SSL_CERT_REQS, daemon.PUBSUB_REDIS_URL]).toEqual(['true', 'CERT_OPTIONAL', undefined]);
    });
  });
