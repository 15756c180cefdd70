/**
 * bootstrap-secrets.sh against a stand-in for the Kubernetes API: no kube-apiserver can run on this machine, so a
 * small HTTP server answers the two calls the script makes (GET and POST of a Secret) with the status codes and
 * semantics of the real API (200/404 on read; 201, or 409 when the name exists, on create), and records them.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', '..', '..', 'lib', 'dify', 'scripts', 'bootstrap-secrets.sh');
const KEYS = 'SECRET_KEY SANDBOX_API_KEY PLUGIN_DAEMON_KEY';
const TOKEN = 'service-account-token';

interface FakeApi {
  url: string;
  secrets: Map<string, any>;
  calls: string[];
  /** Answers every request with this status instead, when set. */
  forceStatus?: number;
  /** Pretends another run created the Secret between the script's read and its create. */
  raceOnCreate?: boolean;
  close(): Promise<void>;
}

function startFakeApi(): Promise<FakeApi> {
  const api: Partial<FakeApi> = { secrets: new Map(), calls: [] };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      api.calls!.push(`${request.method} ${request.url}`);
      const reply = (status: number, payload: object) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { reason: 'Unauthorized' });
      if (api.forceStatus) return reply(api.forceStatus, { reason: 'Forbidden', message: 'secrets is forbidden' });
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(request.url ?? '');
      if (!match) return reply(404, { reason: 'NotFound' });
      const [, namespace, name] = match;
      if (request.method === 'GET' && name) {
        const secret = api.secrets!.get(`${namespace}/${name}`);
        return secret ? reply(200, secret) : reply(404, { reason: 'NotFound' });
      }
      if (request.method === 'POST' && !name) {
        const secret = JSON.parse(body);
        const key = `${namespace}/${secret.metadata.name}`;
        if (api.raceOnCreate || api.secrets!.has(key)) return reply(409, { reason: 'AlreadyExists' });
        api.secrets!.set(key, secret);
        return reply(201, secret);
      }
      return reply(405, { reason: 'MethodNotAllowed' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    api.url = `http://127.0.0.1:${(server.address() as any).port}`;
    api.close = () => new Promise((done) => server.close(() => done()));
    resolve(api as FakeApi);
  }));
}

function runScript(api: FakeApi): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
  fs.writeFileSync(path.join(dir, 'token'), TOKEN);
  fs.writeFileSync(path.join(dir, 'ca.crt'), '');
  return new Promise((resolve) => {
    const child = spawn('sh', [SCRIPT], {
      env: { PATH: process.env.PATH!, TARGET_NAME: 'dify-app-secrets', GENERATED_ENTRIES: KEYS, KUBERNETES_API: api.url,
        TOKEN_FILE: path.join(dir, 'token'), CA_FILE: path.join(dir, 'ca.crt'), NAMESPACE: 'dify' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('bootstrap-secrets.sh', () => {
  let api: FakeApi;
  beforeEach(async () => {
    api = await startFakeApi();
  });
  afterEach(() => api.close());

  test('creates the missing Secret with a strong, distinct random value per key', async () => {
    const run = await runScript(api);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const secret = api.secrets.get('dify/dify-app-secrets');
    expect(secret.metadata.name).toBe('dify-app-secrets');
    const values = Object.values(secret.stringData) as string[];
    expect(Object.keys(secret.stringData)).toEqual(KEYS.split(' '));
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{56}$/);
  });

  test('never overwrites: a second run reads the Secret and leaves it as it is', async () => {
    await runScript(api);
    const first = JSON.stringify(api.secrets.get('dify/dify-app-secrets'));
    api.calls.length = 0;

    const run = await runScript(api);

    expect(run.status).toBe(0);
    expect(api.calls).toEqual(['GET /api/v1/namespaces/dify/secrets/dify-app-secrets']);
    expect(JSON.stringify(api.secrets.get('dify/dify-app-secrets'))).toBe(first);
  });

  test('two runs at once: the one that loses the race succeeds without touching the Secret', async () => {
    api.raceOnCreate = true;

    const run = await runScript(api);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('created by another run');
  });

  test('a refusal from the API fails the Job loudly', async () => {
    api.forceStatus = 403;

    const run = await runScript(api);

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('reading secret dify-app-secrets failed with HTTP 403');
  });
});
