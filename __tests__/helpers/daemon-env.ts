/**
 * The environment a platform's plugin daemon container gets, taken from the synthesized Deployment, made runnable on
 * loopback (__tests__/cluster/plugin-daemon.test.ts). Only these change, each named here:
 * - Secret references: test values (TEST_SECRETS), by Secret and key; a reference to anything else fails;
 * - in-cluster addresses: the database, Redis and each Sentinel go to the loopback servers, the api to a free port;
 * - where it listens: 127.0.0.1 (its default is every address) on free ports, the debug port too;
 * - the plugin volume's mount path (/app/storage) becomes a scratch folder;
 * - what the image adds: PLATFORM=local, GIN_MODE=release, UV_PATH, TIKTOKEN_CACHE_DIR (docker/local.dockerfile at
 *   dify-plugin-daemon 0.5.3 to 0.6.3), and PATH and HOME, which a container always has.
 */
import { PLUGIN_STORAGE_ROOT } from '../../lib/dify/components/plugin-daemon';
import { Manifest } from './synth';

/** The values the tests give the Secrets the daemon reads (never a real credential). */
export const TEST_SECRETS = {
  dbUser: 'dify_test',
  dbPassword: 'test-db-password',
  redisPassword: 'test-redis-password',
  sentinelPassword: 'test-sentinel-password',
  daemonKey: 'test-plugin-daemon-key',
  innerApiKey: 'test-inner-api-key',
};

/** The test value of a Secret's key, by what the Secret is; anything else is a reference this harness does not know. */
function secretValue(name: string, key: string): string {
  if (key === 'PLUGIN_DAEMON_KEY') return TEST_SECRETS.daemonKey;
  if (key === 'INNER_API_KEY_FOR_PLUGIN') return TEST_SECRETS.innerApiKey;
  if (/sentinel/.test(name) && key === 'password') return TEST_SECRETS.sentinelPassword;
  // KubeBlocks' Redis account is `default`, the user requirepass sets; an external Redis's Secret has a password only.
  if (/redis/.test(name) && key === 'username') return 'default';
  if (/redis/.test(name) && key === 'password') return TEST_SECRETS.redisPassword;
  if (key === 'username') return TEST_SECRETS.dbUser;
  if (key === 'password') return TEST_SECRETS.dbPassword;
  throw new Error(`the daemon reads Secret ${name} key ${key}, which this harness has no test value for`);
}

export interface Loopback {
  readonly pgPort: number;
  readonly redisPort: number;
  readonly sentinelPorts: readonly number[];
  readonly scratch: string;
  readonly listen: { readonly http: number; readonly remote: number; readonly api: number };
}

/** The daemon container of the synthesized objects: its env, with the changes listed above. */
export function daemonEnvironment(objects: Manifest[], loopback: Loopback): Record<string, string> {
  const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-plugin-daemon');
  if (!deployment) throw new Error('no Deployment dify-plugin-daemon in the synthesized objects');
  const containers = deployment.spec.template.spec.containers as any[];
  if (containers.length !== 1) throw new Error(`the daemon's pod has ${containers.length} containers`);
  // The image's command runs unless the Deployment replaces it; this harness runs the image's (see runDaemon).
  if (containers[0].command || containers[0].args) throw new Error('the daemon container replaces the image\'s command');
  const env: Record<string, string> = {};
  for (const variable of containers[0].env as any[]) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (variable.valueFrom && !ref) throw new Error(`${variable.name} comes from ${JSON.stringify(variable.valueFrom)}, which this harness does not fill`);
    env[variable.name] = ref ? secretValue(ref.name, ref.key) : String(variable.value ?? '');
  }
  const storage = (value: string) => value.replace(PLUGIN_STORAGE_ROOT, `${loopback.scratch}/storage`);
  const sentinels = env.REDIS_SENTINELS?.split(',') ?? [];
  if (sentinels.length > loopback.sentinelPorts.length) throw new Error(`${sentinels.length} sentinels named, ${loopback.sentinelPorts.length} running`);
  return {
    ...env,
    DB_HOST: '127.0.0.1',
    DB_PORT: String(loopback.pgPort),
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(loopback.redisPort),
    ...(env.REDIS_SENTINELS ? { REDIS_SENTINELS: sentinels.map((_, i) => `127.0.0.1:${loopback.sentinelPorts[i]}`).join(',') } : {}),
    DIFY_INNER_API_URL: env.DIFY_INNER_API_URL.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${loopback.listen.api}`),
    SERVER_HOST: '127.0.0.1',
    SERVER_PORT: String(loopback.listen.http),
    PLUGIN_REMOTE_INSTALLING_HOST: '127.0.0.1',
    PLUGIN_REMOTE_INSTALLING_PORT: String(loopback.listen.remote),
    PLUGIN_STORAGE_LOCAL_ROOT: storage(env.PLUGIN_STORAGE_LOCAL_ROOT),
    PLUGIN_WORKING_PATH: storage(env.PLUGIN_WORKING_PATH),
    PLATFORM: 'local',
    GIN_MODE: 'release',
    UV_PATH: '/usr/local/bin/uv',
    TIKTOKEN_CACHE_DIR: `${loopback.scratch}/.tiktoken`,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: loopback.scratch,
  };
}
