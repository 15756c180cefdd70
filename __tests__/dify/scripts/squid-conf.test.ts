/**
 * The SSRF proxy's squid.conf, run by a real squid (Debian's; the image runs a newer one) on loopback. Every request
 * targets 127.0.0.1: the proxy must refuse it, and must forward it once the private-destination and loopback rules are
 * removed, which shows the refusal comes from those rules and not from a proxy that forwards nothing.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { NEVER_OPENED } from '../../../lib/config/grammar';
import { agentSsrfProxyConf, ssrfProxyConf } from '../../../lib/dify/components/ssrf-proxy';
import { renderScript } from '../../../lib/dify/wiring/project-files';
import { freePort } from '../../helpers/postgres-server';
import { describeWithTool } from '../../helpers/required-tool';

/** The SSRF proxy's configuration as synth renders it, with no private destination allowed. */
const CONF = ssrfProxyConf(undefined);
const SQUID = ['/usr/sbin/squid', '/usr/local/sbin/squid'].find((file) => fs.existsSync(file));

function waitForPort(port: number, deadline = Date.now() + 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(); });
    socket.on('error', () => {
      if (Date.now() > deadline) return reject(new Error(`squid did not listen on ${port}`));
      setTimeout(() => waitForPort(port, deadline).then(resolve, reject), 200);
    });
  });
}

/** Starts squid with `conf` on a free loopback port; `hosts` gives names squid resolves (its own hosts file). */
async function startSquid(conf: string, hosts: readonly string[] = []): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squid-'));
  const file = path.join(dir, 'squid.conf');
  const hostsFile = path.join(dir, 'hosts');
  // squid reads it after dropping to its own user.
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(hostsFile, ['127.0.0.1 localhost', ...hosts.map((name) => `127.0.0.1 ${name}`)].map((line) => `${line}\n`).join(''));
  fs.writeFileSync(file, `${conf.replace(/^http_port 3128$/m, `http_port 127.0.0.1:${port}`)}\nhosts_file ${hostsFile}\n`);
  const child = spawn(SQUID!, ['-N', '-f', file], { stdio: 'ignore' });
  await waitForPort(port);
  return { port, process: child };
}

/** squid's own parser accepts the configuration without a warning. */
function expectParses(conf: string): void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'squid-')), 'squid.conf');
  fs.writeFileSync(file, conf);
  const run = spawnSync(SQUID!, ['-k', 'parse', '-f', file], { encoding: 'utf8' });

  expect(run.status).toBe(0);
  expect(run.stderr).not.toMatch(/ERROR|FATAL|WARNING/);
}

/** The HTTP status a request through the proxy gets (asynchronously: the target server runs in this process). */
function viaProxy(proxyPort: number, url: string): Promise<number> {
  return new Promise((resolve) => {
    const curl = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '-x', `http://127.0.0.1:${proxyPort}`, url]);
    let out = '';
    curl.stdout.on('data', (chunk) => (out += chunk));
    curl.on('close', () => resolve(Number(out)));
  });
}

describeWithTool(SQUID !== undefined, 'squid', 'apt-get install squid')('squid.conf of the SSRF proxy', () => {
  let target: http.Server;
  let targetPort: number;
  let hits = 0;
  const squids: ChildProcess[] = [];

  beforeAll(async () => {
    target = http.createServer((_request, response) => { hits++; response.end('reached'); });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const squid of squids) squid.kill('SIGKILL');
    await new Promise((resolve) => target.close(resolve));
  });

  test('parses without errors', () => {
    expectParses(CONF);
  });

  test('refuses requests to loopback, by address and by name, without reaching them', async () => {
    const squid = await startSquid(CONF);
    squids.push(squid.process);
    hits = 0;

    expect(await viaProxy(squid.port, `http://127.0.0.1:${targetPort}/`)).toBe(403);
    expect(await viaProxy(squid.port, `http://localhost:${targetPort}/`)).toBe(403);
    expect(hits).toBe(0);
  });

  test('refuses loopback written as an IPv4-mapped IPv6 address without reaching it', async () => {
    const squid = await startSquid(CONF);
    squids.push(squid.process);
    hits = 0;

    expect(await viaProxy(squid.port, `http://[::ffff:127.0.0.1]:${targetPort}/`)).toBe(403);
    expect(hits).toBe(0);
  });

  test('the deny list holds multicast and reserved ranges; the metadata address is refused before any allowPrivate rule', () => {
    const denied = /^acl private_destination dst (.*)$/m.exec(CONF)![1].split(' ');
    expect(denied).toEqual(expect.arrayContaining(['224.0.0.0/4', '240.0.0.0/4', '::1', '127.0.0.0/8', '169.254.0.0/16']));
    // Squid reads these as 0.0.0.0/0: they would refuse all of IPv4 (the mapped-loopback test shows mapped addresses are refused without them).
    expect(denied).not.toEqual(expect.arrayContaining(['::ffff:0:0/96']));
    expect(denied).not.toContain('::/96');
    // Rendered past the config check, as if a range holding the metadata address had got through.
    const lines = ssrfProxyConf({ ips: ['169.254.0.0/16'] }).split('\n');
    expect(lines.indexOf('http_access deny metadata_destination')).toBeLessThan(lines.indexOf('http_access allow allowed_private_networks'));
    expect(lines.indexOf('http_access deny loopback_destination')).toBeLessThan(lines.indexOf('http_access allow allowed_private_networks'));
    // What squid refuses ahead of the allow rules is exactly what the config refuses to open.
    const shielded = ['metadata_destination', 'loopback_destination'].flatMap((acl) => new RegExp(`^acl ${acl} dst (.*)$`, 'm').exec(CONF)![1].split(' '));
    const fullLength = (family: string) => (family === 'ipv4' ? 32 : 128);
    expect(shielded.sort()).toEqual(NEVER_OPENED.map((range) => (range.prefix === fullLength(range.family) ? range.address : `${range.address}/${range.prefix}`)).sort());
    expectParses(ssrfProxyConf({ ips: ['169.254.0.0/16'] }));
  });

  test('no allowPrivate rule opens loopback, by address or by a name that resolves to it', async () => {
    // Rendered past the config check, which refuses both.
    const byAddress = await startSquid(ssrfProxyConf({ ips: ['127.0.0.1/32'] }));
    const byName = await startSquid(ssrfProxyConf({ domains: ['loopback.corp.example'] }), ['loopback.corp.example']);
    squids.push(byAddress.process, byName.process);
    hits = 0;

    expect(await viaProxy(byAddress.port, `http://127.0.0.1:${targetPort}/`)).toBe(403);
    expect(await viaProxy(byName.port, `http://loopback.corp.example:${targetPort}/`)).toBe(403);
    expect(hits).toBe(0);
  });

  test('opens exactly the private destinations dify.ssrfProxy.allowPrivate names, by address or by name', async () => {
    // The only private address every machine has is loopback, which the proxy refuses ahead of these rules; without
    // that one line, what remains is exactly what the allow rules open.
    const withoutLoopbackRule = (conf: string) => conf.replace(/^http_access deny loopback_destination\n/m, '');
    const byAddress = await startSquid(withoutLoopbackRule(ssrfProxyConf({ ips: ['127.0.0.1/32'] })));
    const byName = await startSquid(withoutLoopbackRule(ssrfProxyConf({ domains: ['intranet.corp.example'] })), ['intranet.corp.example']);
    squids.push(byAddress.process, byName.process);
    hits = 0;

    expect(await viaProxy(byAddress.port, `http://127.0.0.1:${targetPort}/`)).toBe(200);
    expect(await viaProxy(byName.port, `http://intranet.corp.example:${targetPort}/`)).toBe(200);
    // A name opens that host only (squid also matches an address whose reverse lookup gives the name): another
    // private address stays refused, through either proxy.
    expect(await viaProxy(byName.port, `http://127.0.0.2:${targetPort}/`)).toBe(403);
    expect(await viaProxy(byAddress.port, `http://127.0.0.2:${targetPort}/`)).toBe(403);
    expect(hits).toBe(2);
  });

  test('forwards the same request once both rules that refuse loopback are removed, and not with either one left', async () => {
    const withoutPrivateRule = CONF.replace(/^http_access deny private_destination$/m, '');
    const withoutLoopbackRule = CONF.replace(/^http_access deny loopback_destination$/m, '');
    const withoutEither = withoutPrivateRule.replace(/^http_access deny loopback_destination$/m, '');
    expect(new Set([CONF, withoutPrivateRule, withoutLoopbackRule, withoutEither]).size).toBe(4);
    const [privateOnly, loopbackOnly, neither] = await Promise.all([withoutLoopbackRule, withoutPrivateRule, withoutEither].map((conf) => startSquid(conf)));
    squids.push(privateOnly.process, loopbackOnly.process, neither.process);
    hits = 0;

    expect(await viaProxy(privateOnly.port, `http://127.0.0.1:${targetPort}/`)).toBe(403);
    expect(await viaProxy(loopbackOnly.port, `http://127.0.0.1:${targetPort}/`)).toBe(403);
    expect(hits).toBe(0);
    expect(await viaProxy(neither.port, `http://127.0.0.1:${targetPort}/`)).toBe(200);
    expect(hits).toBe(1);
  });
});

/** Agent v2's proxy, rendered as synth renders it, with the Service names resolving to this machine. */
const AGENT_CONF = renderScript('agent-squid.conf', { agentBackendHost: 'dify-agent-backend', apiHost: 'dify-api', upstream: '' });

describeWithTool(SQUID !== undefined, 'squid', 'apt-get install squid')('squid.conf of the agent SSRF proxy', () => {
  let target: http.Server;
  let targetPort: number;
  const reached: string[] = [];
  let squid: { port: number; process: ChildProcess };

  beforeAll(async () => {
    target = http.createServer((request, response) => { reached.push(`${request.headers.host?.split(':')[0]}${request.url}`); response.end('reached'); });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as net.AddressInfo).port;
    squid = await startSquid(AGENT_CONF, ['dify-agent-backend', 'dify-api']);
  });
  afterAll(async () => {
    squid.process.kill('SIGKILL');
    await new Promise((resolve) => target.close(resolve));
  });

  test('parses without errors', () => {
    expectParses(AGENT_CONF);
  });

  test('lets the local sandbox reach the agent backend\'s Agent Stub API and the api\'s files', async () => {
    reached.length = 0;

    expect(await viaProxy(squid.port, `http://dify-agent-backend:${targetPort}/agent-stub/runs/1`)).toBe(200);
    expect(await viaProxy(squid.port, `http://dify-api:${targetPort}/files/abc/file-preview`)).toBe(200);
    expect(reached).toEqual(['dify-agent-backend/agent-stub/runs/1', 'dify-api/files/abc/file-preview']);
  });

  test('refuses every other path of those services, and the same paths by address or under another name', async () => {
    reached.length = 0;

    for (const url of [`http://dify-agent-backend:${targetPort}/runs`, `http://dify-api:${targetPort}/console/api/setup`,
      `http://dify-api:${targetPort}/agent-stub/x`, `http://127.0.0.1:${targetPort}/agent-stub/x`, `http://localhost:${targetPort}/files/x`]) {
      expect([url, await viaProxy(squid.port, url)]).toEqual([url, 403]);
    }
    expect(reached).toEqual([]);
  });
});

/**
 * A stand-in for the user's corporate proxy on loopback: it answers every proxied request itself and accepts every
 * CONNECT, and records what it was asked for.
 */
async function corporateProxy(): Promise<{ port: number; asked: string[]; server: http.Server }> {
  const asked: string[] = [];
  const server = http.createServer((request, response) => { asked.push(`${request.method} ${request.url}`); response.end('via the corporate proxy'); });
  server.on('connect', (request: http.IncomingMessage, socket: net.Socket) => {
    asked.push(`CONNECT ${request.url}`);
    socket.end('HTTP/1.1 200 Connection established\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, asked, server };
}

/** The status line squid answers a CONNECT to `target` with. */
function connectVia(proxyPort: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(proxyPort, '127.0.0.1', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    let answer = '';
    socket.setTimeout(10000, () => socket.destroy());
    socket.on('data', (chunk) => { answer += chunk; if (answer.includes('\r\n')) socket.destroy(); });
    socket.on('close', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', () => undefined);
  });
}

/** A public address (TEST-NET-3) nothing answers on: only the corporate proxy can answer for it. */
const PUBLIC = '203.0.113.10';

describeWithTool(SQUID !== undefined, 'squid', 'apt-get install squid')('the SSRF proxies with dify.egressProxy as their parent', () => {
  let target: http.Server;
  let targetPort: number;
  let hits = 0;
  const servers: http.Server[] = [];
  const squids: ChildProcess[] = [];

  beforeAll(async () => {
    target = http.createServer((_request, response) => { hits++; response.end('reached directly'); });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const squid of squids) squid.kill('SIGKILL');
    // squid keeps its connections to a parent open: closed here, so that the servers close at once.
    for (const server of servers) server.closeAllConnections();
    await Promise.all([target, ...servers].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function withParent(conf: (proxy: { httpProxy: string; httpsProxy?: string }) => string, split = false) {
    const http1 = await corporateProxy();
    const https1 = split ? await corporateProxy() : http1;
    servers.push(...new Set([http1.server, https1.server]));
    const squid = await startSquid(conf({ httpProxy: `http://127.0.0.1:${http1.port}`, ...(split ? { httpsProxy: `http://127.0.0.1:${https1.port}` } : {}) }),
      ['dify-agent-backend', 'dify-api']);
    squids.push(squid.process);
    return { squid, http: http1.asked, https: https1.asked };
  }

  test('parse without errors, with one parent or one for each scheme', () => {
    expectParses(ssrfProxyConf(undefined, { httpProxy: 'http://proxy.corp.example:3128' }));
    expectParses(ssrfProxyConf({ ips: ['10.20.0.0/16'], domains: ['.corp.example'] }, { httpProxy: 'http://proxy.corp.example:3128', httpsProxy: 'http://tls-proxy.corp.example:8080' }));
    expectParses(agentSsrfProxyConf({ agentBackendHost: 'dify-agent-backend', apiHost: 'dify-api' }, { httpProxy: 'http://proxy.corp.example:3128' }));
  });

  test('a request and a CONNECT the SSRF proxy lets out reach the corporate proxy, not the internet', async () => {
    const { squid, http: asked } = await withParent((proxy) => ssrfProxyConf(undefined, proxy));

    expect(await viaProxy(squid.port, `http://${PUBLIC}/models`)).toBe(200);
    expect(await connectVia(squid.port, `${PUBLIC}:443`)).toMatch(/^HTTP\/1\.1 200/);
    expect(asked).toEqual([`GET http://${PUBLIC}/models`, `CONNECT ${PUBLIC}:443`]);
  });

  test('what the SSRF proxy refuses stays refused and never reaches the corporate proxy', async () => {
    const { squid, http: asked } = await withParent((proxy) => ssrfProxyConf(undefined, proxy));
    hits = 0;

    expect(await viaProxy(squid.port, `http://127.0.0.1:${targetPort}/`)).toBe(403);
    expect(await viaProxy(squid.port, 'http://169.254.169.254/latest/meta-data/')).toBe(403);
    expect(await connectVia(squid.port, '10.0.0.1:443')).toMatch(/^HTTP\/1\.1 403/);
    expect(asked).toEqual([]);
    expect(hits).toBe(0);
  });

  test('with a proxy for each scheme, CONNECT goes to the https one and plain requests to the http one', async () => {
    const { squid, http: plain, https: tls } = await withParent((proxy) => ssrfProxyConf(undefined, proxy), true);

    expect(await viaProxy(squid.port, `http://${PUBLIC}/`)).toBe(200);
    expect(await connectVia(squid.port, `${PUBLIC}:443`)).toMatch(/^HTTP\/1\.1 200/);
    expect(plain).toEqual([`GET http://${PUBLIC}/`]);
    expect(tls).toEqual([`CONNECT ${PUBLIC}:443`]);
  });

  test('the private networks allowPrivate opens are reached directly, not through the corporate proxy', async () => {
    // Loopback is the one private address every machine has; the rule that always refuses it is taken out here.
    const { squid, http: asked } = await withParent((proxy) =>
      ssrfProxyConf({ ips: ['127.0.0.1/32'] }, proxy).replace(/^http_access deny loopback_destination\n/m, ''));
    hits = 0;

    expect(await viaProxy(squid.port, `http://127.0.0.1:${targetPort}/`)).toBe(200);
    expect(hits).toBe(1);
    expect(asked).toEqual([]);
  });

  test('Agent v2\'s proxy reaches the agent backend and the api directly, and the internet through the corporate proxy', async () => {
    const { squid, http: asked } = await withParent((proxy) => agentSsrfProxyConf({ agentBackendHost: 'dify-agent-backend', apiHost: 'dify-api' }, proxy));
    hits = 0;

    expect(await viaProxy(squid.port, `http://dify-agent-backend:${targetPort}/agent-stub/runs/1`)).toBe(200);
    expect(await viaProxy(squid.port, `http://dify-api:${targetPort}/files/abc`)).toBe(200);
    expect(await viaProxy(squid.port, `http://${PUBLIC}/simple/numpy/`)).toBe(200);
    expect(hits).toBe(2);
    expect(asked).toEqual([`GET http://${PUBLIC}/simple/numpy/`]);
  });
});
