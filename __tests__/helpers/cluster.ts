/**
 * A real Kubernetes control plane for the cluster test tier (npm run test:cluster, docs/cluster-tests.md): Debian's
 * etcd, and kube-apiserver and kube-controller-manager built from the k8s.io/kubernetes module
 * (scripts/cluster-tools.js). Everything listens on 127.0.0.1 only, on free ports, with its data in a scratch
 * folder; every process is started in a process group of its own and the group is killed by {@link ControlPlane.stop}.
 * No kubelet, scheduler or container runtime: no pod ever runs (no container image can be pulled here).
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { describeWithTool } from './required-tool';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('../../scripts/cluster-tools') as {
  clusterTool(name: string): string | undefined;
  etcdPath(): string | undefined;
  kubernetesVersion(): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toolPath } = require('../../scripts/tools') as { toolPath(tool: string): string };

export const KUBE_APISERVER = tools.clusterTool('kube-apiserver');
export const KUBE_CONTROLLER_MANAGER = tools.clusterTool('kube-controller-manager');
export const ETCD = tools.etcdPath();
export const KUBERNETES_VERSION = tools.kubernetesVersion();

/** `describe` where etcd and the built control plane are there; skipped with a line otherwise (a failure in CI). */
export function describeWithCluster(): jest.Describe {
  if (!ETCD) return describeWithTool(false, 'etcd (Debian etcd-server)', 'apt-get install etcd-server');
  return describeWithTool(KUBE_APISERVER !== undefined && KUBE_CONTROLLER_MANAGER !== undefined,
    `kube-apiserver and kube-controller-manager ${KUBERNETES_VERSION}`, 'node scripts/cluster-tools.js build');
}

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One GET on loopback: the status code, or undefined when nothing answered. */
export function get(url: string, token?: string, ca?: Buffer): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, ca, timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

interface Started {
  name: string;
  child: ChildProcess;
  log: string;
  exited?: string;
}

/** Every process group started and not yet seen to exit: killed if the test process exits without stop(). */
const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
});

function startProcess(name: string, command: string, args: string[], dir: string, env?: NodeJS.ProcessEnv): Started {
  const log = path.join(dir, `${name}.log`);
  const out = fs.openSync(log, 'w');
  // A process group of its own (detached), so stop() ends it and anything it started.
  const child = spawn(command, args, { cwd: dir, detached: true, stdio: ['ignore', out, out], env: env ?? process.env });
  fs.closeSync(out);
  const started: Started = { name, child, log };
  if (child.pid !== undefined) live.add(child.pid);
  child.on('exit', (code, signal) => {
    started.exited = `${name} exited (${code ?? signal})`;
    if (child.pid !== undefined) live.delete(child.pid);
  });
  return started;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls `check` until it returns true, the process exits or the time is up. */
async function waitFor(what: string, processes: Started[], timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = processes.find((p) => p.exited);
    if (dead) throw new Error(`${dead.exited} while waiting for ${what}:\n${tail(dead.log)}`);
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s:\n${processes.map((p) => `${p.name}:\n${tail(p.log)}`).join('\n')}`);
}

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface ControlPlane {
  /** The scratch folder: logs, certificates, etcd's data, the kubeconfig. */
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: string;
  /** Runs the pinned kubectl against this control plane. */
  kubectl(args: string[], input?: string): KubectlResult;
  /** Like {@link kubectl}, and throws with its output unless it exits 0. */
  kubectlOk(args: string[], input?: string): string;
  /**
   * Starts another process beside the control plane (an operator), in a process group of its own, with its log in
   * the scratch folder; {@link stop} ends it before the control plane. Resolves when `ready` says so (bounded).
   */
  startBeside(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, ready: () => Promise<boolean>): Promise<BesideProcess>;
  /** Ends every process (each process group) and removes the scratch folder. */
  stop(): Promise<void>;
}

export interface BesideProcess {
  /** Its output (stdout and stderr). */
  readonly log: string;
  /** Why it exited, or undefined while it runs. */
  exited(): string | undefined;
}

export interface ControlPlaneOptions {
  /** Start kube-controller-manager too (namespace deletion, garbage collection, the workload controllers). */
  controllerManager?: boolean;
}

/** Starts etcd, kube-apiserver and (unless told not to) kube-controller-manager on loopback; resolves when ready. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  if (!ETCD || !KUBE_APISERVER || !KUBE_CONTROLLER_MANAGER) throw new Error('the cluster tools are not built');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'control-plane-'));
  const processes: Started[] = [];
  const stop = async () => {
    for (const p of [...processes].reverse()) {
      if (p.exited || p.child.pid === undefined) continue;
      try {
        process.kill(-p.child.pid, 'SIGTERM');
      } catch {
        continue;
      }
      const deadline = Date.now() + 10000;
      while (!p.exited && Date.now() < deadline) await sleep(100);
      if (!p.exited) {
        try { process.kill(-p.child.pid, 'SIGKILL'); } catch { /* gone */ }
        const killDeadline = Date.now() + 5000;
        while (!p.exited && Date.now() < killDeadline) await sleep(100);
      }
    }
    if (!process.env.DIFY_KEEP_CONTROL_PLANE) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    processes.push(startProcess('etcd', ETCD, [
      '--name', 'test', '--data-dir', path.join(dir, 'etcd'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `test=${peerUrl}`, '--initial-cluster-state', 'new',
      '--listen-metrics-urls', `http://127.0.0.1:${await freePort()}`,
    ], dir));
    await waitFor('etcd', processes, 30000, async () => (await get(`${etcdUrl}/health`))?.status === 200);

    // The service-account signing key, the admin's static token; the serving certificate the apiserver makes itself
    // (--cert-dir): a self-signed CA and a certificate for 127.0.0.1 and localhost, written before it serves.
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = path.join(dir, 'sa.key');
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const token = crypto.randomBytes(24).toString('hex');
    const tokens = path.join(dir, 'tokens.csv');
    fs.writeFileSync(tokens, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const certDir = path.join(dir, 'pki');
    const server = `https://127.0.0.1:${apiPort}`;
    processes.push(startProcess('kube-apiserver', KUBE_APISERVER, [
      '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--secure-port', String(apiPort),
      '--cert-dir', certDir,
      '--etcd-servers', etcdUrl,
      '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', saKey, '--service-account-signing-key-file', saKey,
      '--token-auth-file', tokens, '--authorization-mode', 'RBAC', '--anonymous-auth=false',
      '--service-cluster-ip-range', '10.96.0.0/16',
      '--allow-privileged=true',
      // No kubelets: nothing to reach; no API server aggregation either.
      '--endpoint-reconciler-type', 'none',
    ], dir));
    const caFile = path.join(certDir, 'apiserver.crt');
    await waitFor('kube-apiserver /readyz', processes, 180000, async () => {
      if (!fs.existsSync(caFile)) return false;
      const answer = await get(`${server}/readyz`, token, fs.readFileSync(caFile));
      return answer?.status === 200;
    });

    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', `- name: test`, `  cluster:`, `    server: ${server}`, `    certificate-authority: ${caFile}`,
      'users:', '- name: admin', '  user:', `    token: ${token}`,
      'contexts:', '- name: test', '  context: {cluster: test, user: admin}',
      'current-context: test', '',
    ].join('\n'), { mode: 0o600 });

    if (options.controllerManager !== false) {
      processes.push(startProcess('kube-controller-manager', KUBE_CONTROLLER_MANAGER, [
        '--kubeconfig', kubeconfig, '--leader-elect=false',
        '--bind-address', '127.0.0.1', '--secure-port', String(await freePort()),
        '--authentication-kubeconfig', kubeconfig, '--authorization-kubeconfig', kubeconfig,
        '--service-account-private-key-file', saKey, '--root-ca-file', caFile,
        '--use-service-account-credentials=false',
        '--service-cluster-ip-range', '10.96.0.0/16',
      ], dir));
      // Ready when the service-account controller has made the default namespace's ServiceAccount.
      await waitFor('kube-controller-manager', processes, 120000, async () =>
        (await get(`${server}/api/v1/namespaces/default/serviceaccounts/default`, token, fs.readFileSync(caFile)))?.status === 200);
    }

    const kubectlPath = toolPath('kubectl');
    const kubectl = (args: string[], input?: string): KubectlResult => {
      const result: SpawnSyncReturns<string> = spawnSync(kubectlPath, ['--kubeconfig', kubeconfig, ...args], {
        input, encoding: 'utf8', timeout: 300000, maxBuffer: 256 * 1024 * 1024,
      });
      if (result.error) throw result.error;
      return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
    const kubectlOk = (args: string[], input?: string): string => {
      const result = kubectl(args, input);
      if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
      return result.stdout;
    };
    const startBeside = async (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number,
      ready: () => Promise<boolean>): Promise<BesideProcess> => {
      const started = startProcess(name, command, args, dir, env);
      processes.push(started);
      await waitFor(name, [started], timeoutMs, ready);
      return { log: started.log, exited: () => started.exited };
    };
    return { dir, kubeconfig, server, kubectl, kubectlOk, startBeside, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
