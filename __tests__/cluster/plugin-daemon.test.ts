/**
 * The real plugin daemon reads our settings (docs/cluster-tests.md): each daemon Dify pairs with, built from
 * langgenius/dify-plugin-daemon's Go module (scripts/cluster-tools/plugin-daemon.js), started with the environment the
 * synthesized Deployment gives its container against Debian's PostgreSQL, redis-server and redis-sentinel on loopback.
 * It must pass its own config validation, migrate (0.6.x's image runs `commandline migrate` first,
 * docker/local.dockerfile at 0.6.0 to 0.6.3; 0.5.3's server migrates itself, internal/db/init.go), answer
 * /health/check and have made its tables, for each database source and Redis mode; and it must refuse, in its log,
 * the two servers DAEMON_SSL_MODE documents it cannot reach (lib/dify/wiring/postgres-tls.ts).
 *
 * Before the daemon, the same environment is checked against the same servers with libpq (psql) and redis-cli as
 * clients: that part runs wherever PostgreSQL and Redis are installed, and proves the harness and the wiring (hosts,
 * ports, credentials, database, sslmode, Sentinel master name and passwords), not the daemon.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { DifyPlatformProps } from '../../lib';
import { DIFY_RELEASES } from '../../lib/dify/features';
import { PgServer, PgTls, RedisServers, REDIS_SENTINEL, REDIS_SERVER, startPgServer, startRedis } from '../helpers/daemon-servers';
import { describeWithPostgres, freePort } from '../helpers/postgres-server';
import { describeWithTool, recordUnavailable } from '../helpers/required-tool';
import { synthPlatform } from '../helpers/synth';
import { daemonEnvironment, TEST_SECRETS } from '../helpers/daemon-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const daemons = require('../../scripts/cluster-tools/plugin-daemon') as {
  daemonTags(): string[]; daemonTool(tag: string, name: string): string | undefined; notServed(tag: string): string | undefined;
};

/** Each daemon tag of DIFY_RELEASES with the newest Dify version that runs it. */
const PAIRS: [string, string][] = Object.entries(
  Object.fromEntries(Object.entries(DIFY_RELEASES).filter(([, release]) => release.pluginDaemon)
    .map(([version, release]) => [release.pluginDaemon!.replace(/-local$/, ''), version])),
).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));

interface Case {
  readonly name: string;
  readonly props: (version: string) => DifyPlatformProps;
  readonly pg: PgTls;
  /** Whether the daemon reaches the database: false where postgres-tls.ts says its mode cannot. */
  readonly connects: boolean;
}

const external = (sslMode: 'disable' | 'allow' | 'prefer' | 'require') => (version: string): DifyPlatformProps => ({
  dify: { version },
  postgresql: { external: { host: 'db.example.com', credentialsSecret: 'dify-db', sslMode } },
  redis: { external: { host: 'cache.example.com', credentialsSecret: 'dify-redis' } },
});

const CASES: Case[] = [
  { name: 'the platform\'s own clusters', props: (version) => ({ dify: { version } }), pg: 'plain', connects: true },
  { name: 'Redis in Sentinel mode', props: (version) => ({ dify: { version, redisMode: 'sentinel' } }), pg: 'plain', connects: true },
  { name: 'existing clusters', props: (version) => ({ dify: { version }, postgresql: { existingCluster: 'shared-pg' }, redis: { existingCluster: 'shared-redis' } }), pg: 'plain', connects: true },
  { name: 'external, sslMode disable', props: external('disable'), pg: 'plain', connects: true },
  { name: 'external, sslMode allow', props: external('allow'), pg: 'plain', connects: true },
  { name: 'external, sslMode prefer', props: external('prefer'), pg: 'tlsOnly', connects: true },
  { name: 'external, sslMode require', props: external('require'), pg: 'tlsOnly', connects: true },
  // The limits DAEMON_SSL_MODE documents: allow is said as disable, prefer as require.
  { name: 'external, sslMode allow, a server that insists on TLS', props: external('allow'), pg: 'tlsOnly', connects: false },
  { name: 'external, sslMode prefer, a server without TLS', props: external('prefer'), pg: 'plain', connects: false },
];

const describeWithRedis = describeWithTool(REDIS_SERVER !== undefined && REDIS_SENTINEL !== undefined
  && spawnSync('redis-cli', ['--version']).status === 0 && spawnSync('openssl', ['version']).status === 0,
'redis-server, redis-sentinel and openssl', 'apt-get install redis-server redis-sentinel openssl');

function describeWithDaemon(tag: string): jest.Describe {
  if (daemons.daemonTool(tag, 'server')) return describe;
  const refused = daemons.notServed(tag);
  // The module proxy's recorded refusal is said, not failed on, in CI too: nothing here can build the daemon then.
  if (refused) {
    recordUnavailable(`the plugin daemon ${tag} could not be built: ${refused.replace(/https?:\/\/[^/\s]+/g, '<module proxy>')}`);
    return describe.skip as jest.Describe;
  }
  return describeWithTool(false, `the plugin daemon ${tag}`, 'node scripts/cluster-tools.js build');
}

let servers: Record<PgTls, PgServer>;
let redis: RedisServers;
const MASTER = 'redis-redis';

/** A fresh, empty plugin database owned by the test login, as the platform's database Job leaves it. */
function freshDatabase(pg: PgServer): void {
  pg.sql('DROP DATABASE IF EXISTS dify_plugin WITH (FORCE)');
  pg.sql(`CREATE DATABASE dify_plugin OWNER ${TEST_SECRETS.dbUser}`);
}

function envFor(test: Case, version: string, scratch: string, listen: { http: number; remote: number; api: number }): Record<string, string> {
  return daemonEnvironment(synthPlatform(test.props(version)), {
    pgPort: servers[test.pg].port, redisPort: redis.port, sentinelPorts: redis.sentinelPorts, scratch, listen,
  });
}

describeWithPostgres('the plugin daemon with its settings, on loopback', () => {
  describeWithRedis('', () => {
    beforeAll(async () => {
      servers = { plain: await startPgServer('plain'), tlsOnly: await startPgServer('tlsOnly') };
      for (const pg of Object.values(servers)) {
        pg.sql(`CREATE ROLE ${TEST_SECRETS.dbUser} LOGIN CREATEDB PASSWORD '${TEST_SECRETS.dbPassword}'`);
      }
      redis = await startRedis(TEST_SECRETS.redisPassword, TEST_SECRETS.sentinelPassword, MASTER);
    }, 120_000);
    afterAll(() => {
      for (const pg of Object.values(servers ?? {})) pg.stop();
      redis?.stop();
    });

    describe('its environment reaches the servers (psql and redis-cli as its clients)', () => {
      const newest = PAIRS[PAIRS.length - 1][1];
      test.each(CASES.map((c) => [c.name, c]))('%s', async (_name, test) => {
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'daemon-env-'));
        try {
          const env = envFor(test, newest, scratch, { http: 1, remote: 2, api: 3 });
          freshDatabase(servers[test.pg]);
          const psql = spawnSync('psql', ['-AtX', '-c', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
            `host=${env.DB_HOST} port=${env.DB_PORT} user=${env.DB_USERNAME} dbname=${env.DB_DATABASE} sslmode=${env.DB_SSL_MODE}`],
          { env: { PATH: process.env.PATH, PGPASSWORD: env.DB_PASSWORD, PGCONNECT_TIMEOUT: '10' }, encoding: 'utf8' });
          if (test.connects) expect({ status: psql.status, stderr: psql.stderr, ssl: psql.stdout.trim() }).toEqual({ status: 0, stderr: '', ssl: test.pg === 'tlsOnly' ? 't' : 'f' });
          else expect(psql.stderr).toMatch(test.pg === 'tlsOnly' ? /no encryption/ : /does not support SSL/);
          expect(redisPing(env)).toBe('PONG');
        } finally {
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      });
    });

    describe.each(PAIRS)('the plugin daemon %s (Dify %s)', (tag, version) => {
      describeWithDaemon(tag)('', () => {
        test.each(CASES.map((c) => [c.name, c]))('%s', async (_name, test) => {
          const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `daemon-${tag}-`));
          const listen = { http: await freePort(), remote: await freePort(), api: await freePort() };
          try {
            const env = envFor(test, version, scratch, listen);
            freshDatabase(servers[test.pg]);
            const run = await runDaemon(tag, env, scratch, listen.http);
            const tables = servers[test.pg].sql('SELECT table_name FROM information_schema.tables WHERE table_schema = \'public\'', 'dify_plugin').split('\n').filter(Boolean);
            if (!test.connects) {
              expect({ healthy: run.health !== undefined, tables }).toEqual({ healthy: false, tables: [] });
              expect(run.log).toMatch(test.pg === 'tlsOnly' ? /no encryption/ : /(refused|does not support) SSL|server refused TLS/i);
              return;
            }
            if (run.health === undefined) throw new Error(`the daemon never answered /health/check:\n${run.log.slice(-4000)}`);
            expect(run.health).toMatchObject({ status: 'ok', platform: 'local' });
            expect(tables).toEqual(expect.arrayContaining(['plugins', 'plugin_installations', 'plugin_declarations', 'endpoints']));
            expect(run.ssl).toEqual(test.pg === 'tlsOnly' ? ['t'] : ['f']);
          } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
          }
        });
      });
    });
  });
});

function redisPing(env: Record<string, string>): string {
  let [host, port] = [env.REDIS_HOST, env.REDIS_PORT];
  if (env.REDIS_USE_SENTINEL === 'true') {
    // Each sentinel the env names answers for the master the env names, with the env's Sentinel password.
    const masters = env.REDIS_SENTINELS.split(',').map((address) => {
      const [sentinelHost, sentinelPort] = address.split(':');
      return spawnSync('redis-cli', ['-h', sentinelHost, '-p', sentinelPort, '--no-auth-warning', '-a', env.REDIS_SENTINEL_PASSWORD,
        'sentinel', 'get-master-addr-by-name', env.REDIS_SENTINEL_SERVICE_NAME], { encoding: 'utf8' }).stdout.trim().split('\n');
    });
    expect(masters).toEqual(env.REDIS_SENTINELS.split(',').map(() => ['127.0.0.1', String(redis.port)]));
    [host, port] = masters[0];
  }
  const auth = env.REDIS_USERNAME ? ['--user', env.REDIS_USERNAME, '--pass', env.REDIS_PASSWORD] : ['-a', env.REDIS_PASSWORD];
  return spawnSync('redis-cli', ['-h', host, '-p', port, '-n', env.REDIS_DB, '--no-auth-warning', ...auth, 'ping'], { encoding: 'utf8' }).stdout.trim();
}

interface DaemonRun { health?: any; ssl?: string[]; log: string }

/** The image's command: `commandline migrate` where the tag has it, then the server; killed once it answered or died. */
async function runDaemon(tag: string, env: Record<string, string>, scratch: string, port: number): Promise<DaemonRun> {
  const logFile = path.join(scratch, 'daemon.log');
  const commandline = daemons.daemonTool(tag, 'commandline');
  if (commandline) {
    const migrate = spawnSync(commandline, ['migrate'], { cwd: scratch, env, encoding: 'utf8', timeout: 180_000 });
    if (migrate.status !== 0) return { log: `commandline migrate exited ${migrate.status}:\n${migrate.stdout}${migrate.stderr}` };
  }
  const out = fs.openSync(logFile, 'a');
  const child = spawn(daemons.daemonTool(tag, 'server')!, [], { cwd: scratch, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => { exited = true; });
  try {
    for (let waited = 0; waited < 120_000 && !exited; waited += 500) {
      const health = await getJson(`http://127.0.0.1:${port}/health/check`);
      if (health) {
        const ssl = servers.plain.port === Number(env.DB_PORT) ? servers.plain : servers.tlsOnly;
        const rows = ssl.sql(`SELECT DISTINCT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = '${env.DB_USERNAME}' AND a.datname = 'dify_plugin'`);
        return { health, ssl: rows.split('\n').filter(Boolean), log: fs.readFileSync(logFile, 'utf8') };
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return { log: fs.readFileSync(logFile, 'utf8') };
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

function getJson(url: string): Promise<any> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => {
        try { resolve(response.statusCode === 200 ? JSON.parse(body) : undefined); } catch { resolve(undefined); }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
