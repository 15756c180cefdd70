import { spawnSync } from 'child_process';
import * as path from 'path';
import { describeWithPostgres, PostgresServer, startPostgres } from '../../helpers/postgres-server';

const SCRIPT = path.join(__dirname, '..', '..', '..', 'lib', 'dify', 'scripts', 'create-databases.sh');

describeWithPostgres('create-databases.sh against a real PostgreSQL', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  function runScript(env: Record<string, string>) {
    return spawnSync('sh', [SCRIPT], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user,
        PGPASSWORD: server.password, DATABASES: 'dify dify_plugin', WAIT_SECONDS: '10', WAIT_INTERVAL: '1', ...env,
      },
    });
  }

  function databases(): string[] {
    const result = spawnSync('psql', ['-tAc', "SELECT datname FROM pg_database WHERE datname LIKE 'dify%' ORDER BY 1"], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password, PGDATABASE: 'postgres' },
    });
    return result.stdout.trim().split('\n').filter(Boolean);
  }

  test('creates the missing databases', () => {
    const run = runScript({});

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('database dify created');
    expect(databases()).toEqual(['dify', 'dify_plugin']);
  });

  test('a second run changes nothing and succeeds', () => {
    const run = runScript({});

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('database dify exists');
    expect(run.stdout).toContain('database dify_plugin exists');
    expect(databases()).toEqual(['dify', 'dify_plugin']);
  });

  test('a wrong password fails loudly and creates nothing', () => {
    const run = runScript({ PGPASSWORD: 'wrong', DATABASES: 'dify_other' });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/password authentication failed/);
    expect(databases()).toEqual(['dify', 'dify_plugin']);
  });

  test('a server that never comes up fails after the wait, naming where it looked', () => {
    const run = runScript({ PGPORT: '1', WAIT_SECONDS: '1' });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('PostgreSQL at 127.0.0.1:1 is not accepting connections after 1s');
  });

  test('a database name that could inject SQL is refused', () => {
    const run = runScript({ DATABASES: "x'; DROP DATABASE dify; --" });

    expect(run.status).not.toBe(0);
    expect(databases()).toEqual(['dify', 'dify_plugin']);
  });

  /** The extensions enabled in a database. */
  function extensions(database: string): string[] {
    const result = spawnSync('psql', ['-d', database, '-tAc', "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1"], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password },
    });
    return result.stdout.trim().split('\n').filter(Boolean);
  }

  // pgvector's `vector` is what the platform enables (vectorStore: pgvector); the server here has the contrib
  // extensions, so citext stands in for it: the script treats every extension alike.
  test('enables each extension in its database once, however often it runs', () => {
    const env = { DATABASES: 'dify dify_vector', EXTENSIONS: 'dify_vector:citext' };

    const first = runScript(env);
    const second = runScript(env);

    expect(first.status).toBe(0);
    expect(first.stdout).toContain('extension citext enabled in dify_vector');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('extension citext is enabled in dify_vector');
    expect(extensions('dify_vector')).toEqual(['citext']);
    expect(extensions('dify')).toEqual([]);
  });

  test('an extension the server does not have fails loudly', () => {
    const run = runScript({ DATABASES: 'dify_vector', EXTENSIONS: 'dify_vector:no_such_extension' });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no_such_extension/);
    expect(run.stderr).toContain('could not enable extension no_such_extension in dify_vector');
  });

  test('an extension pair that could inject SQL is refused before any statement', () => {
    const run = runScript({ DATABASES: 'dify_vector', EXTENSIONS: 'dify_vector:citext";DROP DATABASE dify;--' });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('refusing extension');
    expect(databases()).toContain('dify');
  });
});
