/**
 * bootstrap-secrets.sh against a stand-in for the Kubernetes API: no kube-apiserver can run on this machine, so a
 * small HTTP server answers the three calls the script makes with the status codes and semantics of the real API:
 * GET (200 with `data` base64-encoded and a resourceVersion, or 404), POST (201, or 409 when the name exists) and
 * a JSON merge PATCH (`stringData` merged into `data`; 409 when the resourceVersion it names is not the current one).
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
  /** Pretends another writer changed the Secret between the script's read and its patch. */
  raceOnPatch?: boolean;
  close(): Promise<void>;
}

/** A Secret as the API stores it: `stringData` folded into base64 `data`, a new resourceVersion. */
function stored(secret: any, version: number): any {
  const data = { ...secret.data };
  for (const [key, value] of Object.entries(secret.stringData ?? {})) data[key] = Buffer.from(String(value)).toString('base64');
  const { stringData: _written, ...rest } = secret;
  return { ...rest, metadata: { ...secret.metadata, resourceVersion: String(version) }, data };
}

/** A Secret's values, decoded. */
function valuesOf(secret: any): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(String(value), 'base64').toString()]));
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
        if (api.raceOnCreate) {
          api.secrets!.set(key, stored({ metadata: { name: secret.metadata.name }, stringData: { SECRET_KEY: 'from-the-other-run' } }, 1));
          return reply(409, { reason: 'AlreadyExists' });
        }
        if (api.secrets!.has(key)) return reply(409, { reason: 'AlreadyExists' });
        api.secrets!.set(key, stored(secret, 1));
        return reply(201, api.secrets!.get(key));
      }
      if (request.method === 'PATCH' && name && request.headers['content-type'] === 'application/merge-patch+json') {
        const key = `${namespace}/${name}`;
        const current = api.secrets!.get(key);
        if (!current) return reply(404, { reason: 'NotFound' });
        const patch = JSON.parse(body);
        if (api.raceOnPatch || patch.metadata?.resourceVersion !== current.metadata.resourceVersion) return reply(409, { reason: 'Conflict' });
        const merged = stored({ ...current, stringData: patch.stringData }, Number(current.metadata.resourceVersion) + 1);
        api.secrets!.set(key, merged);
        return reply(200, merged);
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

function runScript(api: FakeApi, keys = KEYS): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
  fs.writeFileSync(path.join(dir, 'token'), TOKEN);
  fs.writeFileSync(path.join(dir, 'ca.crt'), '');
  return new Promise((resolve) => {
    const child = spawn('sh', [SCRIPT], {
      env: { PATH: process.env.PATH!, TARGET_NAME: 'dify-app-secrets', GENERATED_ENTRIES: keys, KUBERNETES_API: api.url,
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
    const values = Object.values(valuesOf(secret));
    expect(Object.keys(secret.data)).toEqual(KEYS.split(' '));
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{56}$/);
  });

  test('never overwrites: a second run with the same keys reads the Secret and leaves it as it is', async () => {
    await runScript(api);
    const first = JSON.stringify(api.secrets.get('dify/dify-app-secrets'));
    api.calls.length = 0;

    const run = await runScript(api);

    expect(run.status).toBe(0);
    expect(api.calls).toEqual(['GET /api/v1/namespaces/dify/secrets/dify-app-secrets']);
    expect(JSON.stringify(api.secrets.get('dify/dify-app-secrets'))).toBe(first);
  });

  test('a key can ask for an exact size: AGENT_SERVER_SECRET_KEY:32 is unpadded base64url of exactly 32 bytes', async () => {
    const run = await runScript(api, 'SECRET_KEY AGENT_SERVER_SECRET_KEY:32');

    expect(run.status).toBe(0);
    const values = valuesOf(api.secrets.get('dify/dify-app-secrets'));
    expect(Object.keys(values)).toEqual(['SECRET_KEY', 'AGENT_SERVER_SECRET_KEY']);
    // What dify-agent's decode_server_secret_key demands, or the agent backend does not start.
    expect(values.AGENT_SERVER_SECRET_KEY).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(values.AGENT_SERVER_SECRET_KEY, 'base64url')).toHaveLength(32);
    expect(Buffer.from(values.SECRET_KEY, 'base64url')).toHaveLength(42);
  });

  test('a newer version\'s keys are added to an existing Secret, and no existing value changes', async () => {
    await runScript(api);
    const before = valuesOf(api.secrets.get('dify/dify-app-secrets'));

    const run = await runScript(api, `${KEYS} AGENT_API_TOKEN LOCAL_SANDBOX_TOKEN`);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('added the keys it lacked: AGENT_API_TOKEN LOCAL_SANDBOX_TOKEN');
    const after = valuesOf(api.secrets.get('dify/dify-app-secrets'));
    expect(after).toMatchObject(before);
    expect(Object.keys(after)).toEqual([...KEYS.split(' '), 'AGENT_API_TOKEN', 'LOCAL_SANDBOX_TOKEN']);
    expect(after.AGENT_API_TOKEN).toMatch(/^[A-Za-z0-9_-]{56}$/);
  });

  test('two runs at once: the one that loses the race keeps the other\'s values and adds only what is missing', async () => {
    api.raceOnCreate = true;

    const run = await runScript(api);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('created by another run');
    const values = valuesOf(api.secrets.get('dify/dify-app-secrets'));
    expect(values.SECRET_KEY).toBe('from-the-other-run');
    expect(Object.keys(values).sort()).toEqual(KEYS.split(' ').sort());
  });

  test('a Secret changed between read and patch is not overwritten: the Job fails and its retry reads again', async () => {
    await runScript(api);
    api.raceOnPatch = true;
    const before = JSON.stringify(api.secrets.get('dify/dify-app-secrets'));

    const run = await runScript(api, `${KEYS} AGENT_API_TOKEN`);

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('changed while adding AGENT_API_TOKEN; run again');
    expect(JSON.stringify(api.secrets.get('dify/dify-app-secrets'))).toBe(before);
  });

  test('a refusal from the API fails the Job loudly', async () => {
    api.forceStatus = 403;

    const run = await runScript(api);

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('reading secret dify-app-secrets failed with HTTP 403');
  });
});
