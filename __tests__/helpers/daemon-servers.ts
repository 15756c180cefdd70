/**
 * The servers the plugin daemon talks to, for real, on loopback (__tests__/cluster/plugin-daemon.test.ts): Debian's
 * PostgreSQL with or without TLS (a self-signed certificate made with openssl at test time), Debian's redis-server
 * with a password, and three of Debian's redis-sentinel watching it, with a password of their own, as KubeBlocks'
 * Sentinel mode has. Each in a scratch folder, each process in a group of its own, killed by stop().
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findPostgresBin, freePort } from './postgres-server';

export const REDIS_SERVER = ['/usr/bin/redis-server'].find((file) => fs.existsSync(file));
export const REDIS_SENTINEL = ['/usr/bin/redis-sentinel'].find((file) => fs.existsSync(file));

/** `plain`: no TLS at all (ssl=off); `tlsOnly`: TLS offered and every TCP login must use it (hostssl). */
export type PgTls = 'plain' | 'tlsOnly';

export interface PgServer {
  readonly port: number;
  readonly tls: PgTls;
  /** Runs SQL as the superuser over the Unix socket; rows as tab-separated lines. */
  sql(statement: string, database?: string): string;
  stop(): void;
}

const asServerUser = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

export async function startPgServer(tls: PgTls): Promise<PgServer> {
  const bin = findPostgresBin()!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-daemon-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asServerUser(path.join(bin, command), args);
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
  const conf = ['listen_addresses = \'127.0.0.1\'', 'fsync = off', `unix_socket_directories = '${dir}'`];
  if (tls === 'tlsOnly') {
    // A throwaway self-signed certificate: the daemon checks none (pgx under require), and neither does libpq here.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', path.join(data, 'server.key'), '-out', path.join(data, 'server.crt')], { stdio: 'pipe' });
    fs.chmodSync(path.join(data, 'server.key'), 0o600);
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', path.join(data, 'server.key'), path.join(data, 'server.crt')]);
    conf.push('ssl = on', 'ssl_cert_file = \'server.crt\'', 'ssl_key_file = \'server.key\'');
  } else {
    conf.push('ssl = off');
  }
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `${conf.join('\n')}\n`);
  // Over TCP only with a password, and under tlsOnly only inside TLS: a plain-text login is refused.
  fs.writeFileSync(path.join(data, 'pg_hba.conf'),
    `local all all trust\n${tls === 'tlsOnly' ? 'hostssl' : 'host'} all all 127.0.0.1/32 scram-sha-256\n`);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port}`, 'start']);
  return {
    port,
    tls,
    sql: (statement, database = 'postgres') => {
      const [file, argv] = asServerUser('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database,
        '-v', 'ON_ERROR_STOP=1', '-AtF', '\t', '-c', statement]);
      return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).trim();
    },
    stop: () => {
      spawnSync(...asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisServers {
  readonly port: number;
  readonly sentinelPorts: number[];
  readonly masterName: string;
  stop(): void;
}

function startProcess(file: string, args: string[], dir: string, name: string): ChildProcess {
  const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
  const child = spawn(file, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return child;
}

/** Waits until redis-cli gets PONG from a port, with this password (bounded: 30 s). */
function waitForPong(port: number, password: string): void {
  for (let i = 0; i < 300; i += 1) {
    const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--no-auth-warning', '-a', password, 'ping'], { encoding: 'utf8' });
    if (result.stdout?.trim() === 'PONG') return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`nothing answered PING on 127.0.0.1:${port} in 30 s`);
}

/**
 * redis-server requiring `password` (its `default` user's, as KubeBlocks' account), and three sentinels requiring
 * `sentinelPassword` that watch it as `masterName`, as a KubeBlocks Sentinel-mode cluster has.
 */
export async function startRedis(password: string, sentinelPassword: string, masterName: string): Promise<RedisServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-daemon-'));
  const port = await freePort();
  const children = [startProcess(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password,
    '--save', '', '--appendonly', 'no', '--dir', dir], dir, 'redis')];
  const sentinelPorts: number[] = [];
  try {
    waitForPong(port, password);
    for (let i = 0; i < 3; i += 1) {
      const sentinelPort = await freePort();
      sentinelPorts.push(sentinelPort);
      // Sentinel rewrites its configuration file, so each has one of its own.
      const conf = path.join(dir, `sentinel-${i}.conf`);
      fs.writeFileSync(conf, [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `requirepass ${sentinelPassword}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${port} 2`, `sentinel auth-pass ${masterName} ${password}`, ''].join('\n'));
      children.push(startProcess(REDIS_SENTINEL!, [conf], dir, `sentinel-${i}`));
      waitForPong(sentinelPort, sentinelPassword);
    }
  } catch (error) {
    for (const child of children) try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    throw error;
  }
  return {
    port,
    sentinelPorts,
    masterName,
    stop: () => {
      for (const child of children) try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
