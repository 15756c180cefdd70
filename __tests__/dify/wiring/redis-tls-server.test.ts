/**
 * The Redis TLS wiring against a real redis-server (Debian's, built with TLS) serving a certificate for the host name
 * the config names, from a private CA. The variables the platform writes for the worker (cache, event bus, Celery
 * broker and results) and the agent backend's URL are resolved as Kubernetes would, the CA bundle put where the
 * volume would mount it, and handed to the clients Dify pins (redis 7.4.0, celery 5.6.3, kombu 5.6.2, installed in a
 * venv), used the way Dify uses them (fixtures/redis-tls/clients.py). A bundle of another CA and a host name the
 * certificate does not name must fail, which shows the certificate is checked. The plugin daemon (Go) is not run here.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DifyPlatformProps } from '../../../lib';
import { REDIS_CA_FILE } from '../../../lib/dify/wiring/redis-tls';
import { byKindAndName, mainContainer } from '../../helpers/dify';
import { freePort } from '../../helpers/postgres-server';
import { describeWithTool, recordMissing } from '../../helpers/required-tool';
import { synthPlatform } from '../../helpers/synth';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
const PYTHON = spawnSync('python3', ['--version']).status === 0;
const OPENSSL = spawnSync('openssl', ['version']).status === 0;
/** Dify 1.16.1's pins (api/uv.lock), the versions the api image runs. */
const PACKAGES = ['redis==7.4.0', 'celery==5.6.3', 'kombu==5.6.2'];
const CLIENTS = path.join(__dirname, '../../fixtures/redis-tls/clients.py');
const HOST = 'redis.dify.test';
const PASSWORD = 'tls-check-password';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-tls-'));
const file = (name: string) => path.join(work, name);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: work, timeout: 240000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error}`);
}

/** A CA, and (for the first) a server certificate for HOST signed by it. */
function makeCertificates(): void {
  for (const ca of ['ca', 'other-ca']) {
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.crt`]);
  }
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${HOST}`, '-keyout', 'server.key', '-out', 'server.csr']);
  fs.writeFileSync(file('san.ext'), `subjectAltName=DNS:${HOST}\n`);
  run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt']);
}

/** A venv with Dify's pinned clients, kept between runs (the pins name exact versions). */
function pythonWithClients(): string | undefined {
  const venv = path.join(os.tmpdir(), `dify-redis-tls-venv-${PACKAGES.join('-').replace(/[^a-z0-9.-]/gi, '')}`);
  const python = path.join(venv, 'bin', 'python');
  if (spawnSync(python, ['-c', 'import redis, celery, kombu']).status === 0) return python;
  if (spawnSync('python3', ['-m', 'venv', venv]).status !== 0) return undefined;
  const pip = spawnSync(python, ['-m', 'pip', 'install', '-q', ...PACKAGES], { encoding: 'utf8', timeout: 240000 });
  return pip.status === 0 ? python : undefined;
}

function waitForPort(port: number, deadline = Date.now() + 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(); });
    socket.on('error', () => {
      if (Date.now() > deadline) return reject(new Error(`redis-server did not listen on ${port}`));
      setTimeout(() => waitForPort(port, deadline).then(resolve, reject), 200);
    });
  });
}

/** A container's variables as Kubernetes gives them: Secrets read, `$(VAR)` of earlier variables expanded. */
function resolvedEnv(container: any, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    env[variable.name] = ref ? secrets[`${ref.name}/${ref.key}`] ?? ''
      : String(variable.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) => env[name] ?? whole);
  }
  return env;
}

/** The CA bundle's mount path replaced by the file the volume would hold (plain, and as a URL's query escapes it). */
function mounted(value: string, caFile: string): string {
  return value.split(REDIS_CA_FILE).join(caFile).split(encodeURIComponent(REDIS_CA_FILE)).join(encodeURIComponent(caFile));
}

const present = Boolean(REDIS_SERVER) && PYTHON && OPENSSL;
describeWithTool(present, 'redis-server, python3 or openssl', 'apt-get install redis-server python3 python3-venv openssl')('Dify\'s Redis clients with the TLS settings the platform writes', () => {
  let server: ChildProcess | undefined;
  let port = 0;
  let python: string | undefined;

  beforeAll(async () => {
    makeCertificates();
    python = pythonWithClients();
    port = await freePort();
    server = spawn(REDIS_SERVER!, ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', file('server.crt'),
      '--tls-key-file', file('server.key'), '--tls-ca-cert-file', file('ca.crt'), '--tls-auth-clients', 'no', '--requirepass', PASSWORD,
      '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
    await waitForPort(port);
  }, 300000);

  afterAll(() => {
    server?.kill();
  });

  /** What each client says with the platform's variables for `tls` and `host`, the bundle mounted from `caFile`. */
  function connect(tls: object, caFile: string, host = HOST): Record<string, string> | undefined {
    if (!python) {
      recordMissing(`pip could not install ${PACKAGES.join(', ')} into a venv (needs PyPI): the Redis TLS connections cannot be tested`);
      return undefined;
    }
    const props: DifyPlatformProps = {
      redis: { external: { host, port, credentialsSecret: 'dify-redis', tls: { enabled: true, ...tls } } },
      dify: { version: '1.16.1', agent: { enabled: true } },
    };
    const objects = synthPlatform(props);
    const secrets = { 'dify-redis/password': PASSWORD };
    const api = Object.fromEntries(Object.entries(resolvedEnv(mainContainer(byKindAndName(objects, 'Deployment', 'dify-worker')), secrets))
      .map(([name, value]) => [name, mounted(value, caFile)]));
    const agent = mounted(resolvedEnv(mainContainer(byKindAndName(objects, 'Deployment', 'dify-agent-backend')), secrets).DIFY_AGENT_REDIS_URL, caFile);
    const input = file(`input-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(input, JSON.stringify({ api, agent, address: '127.0.0.1' }));
    const result = spawnSync(python, [CLIENTS, input], { encoding: 'utf8', timeout: 120000 });
    if (result.status !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout);
  }

  test('with the private CA\'s bundle, the cache, the event bus, Celery\'s broker and results and the agent backend all connect', () => {
    const results = connect({ ca: { secretName: 'redis-ca', key: 'ca.pem' } }, file('ca.crt'));
    if (results) expect(results).toEqual({ cache: 'ok', eventBus: 'ok', celery: 'ok', agent: 'ok' });
  }, 120000);

  test('with another CA\'s bundle every client refuses the server: the certificate is checked', () => {
    const results = connect({ ca: { secretName: 'redis-ca', key: 'ca.pem' } }, file('other-ca.crt'));
    if (!results) return;
    for (const [client, outcome] of Object.entries(results)) expect([client, outcome]).toEqual([client, expect.stringMatching(/CERTIFICATE_VERIFY_FAILED|certificate verify failed/i)]);
  }, 120000);

  test('a host name the certificate does not name is refused, though the CA is right', () => {
    const results = connect({ ca: { secretName: 'redis-ca', key: 'ca.pem' } }, file('ca.crt'), 'cache.dify.test');
    if (!results) return;
    for (const [client, outcome] of Object.entries(results)) expect([client, outcome]).toEqual([client, expect.stringMatching(/hostname|match|certificate verify failed/i)]);
  }, 120000);

  test('verify none connects to a server whose CA no one was given', () => {
    const results = connect({ verify: 'none' }, file('unused.crt'));
    if (results) expect(results).toEqual({ cache: 'ok', eventBus: 'ok', celery: 'ok', agent: 'ok' });
  }, 120000);
});
