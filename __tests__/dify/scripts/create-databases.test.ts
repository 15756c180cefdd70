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

// A server the platform is given often hands over an application user without CREATEDB (an RDS user made for Dify):
// with createDatabases: false the Job creates nothing and checks what the user needs; with true it says why it cannot.
describeWithPostgres('create-databases.sh with an application user without CREATEDB', () => {
  let server: PostgresServer;
  const app = { user: 'dify_app', password: 'app-user-password' };

  /** Runs SQL as the superuser, as the one who prepared the server for Dify would. */
  function asSuperuser(sql: string, database = 'postgres') {
    const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-d', database, '-qc', sql], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password },
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout;
  }

  function existing(): string[] {
    return asSuperuser("COPY (SELECT datname FROM pg_database WHERE datname LIKE 'app_%' ORDER BY 1) TO STDOUT").trim().split('\n').filter(Boolean);
  }

  beforeAll(async () => {
    server = await startPostgres();
    asSuperuser(`CREATE ROLE ${app.user} LOGIN NOCREATEDB PASSWORD '${app.password}'`);
    // What an administrator does for such a user: the databases made for it and owned by it.
    asSuperuser(`CREATE DATABASE app_main OWNER ${app.user}`);
    asSuperuser(`CREATE DATABASE app_plugins OWNER ${app.user}`);
  });
  afterAll(() => server?.stop());

  function runAsApp(env: Record<string, string>) {
    return spawnSync('sh', [SCRIPT], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: app.user, PGPASSWORD: app.password,
        DATABASES: 'app_main app_plugins', CREATE_DATABASES: 'false', DATABASES_SETTING: 'postgresql.external', WAIT_SECONDS: '10', WAIT_INTERVAL: '1', ...env,
      },
    });
  }

  test('with createDatabases false, databases that exist and are the user\'s pass, and nothing is created', () => {
    const run = runAsApp({});

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('database app_main exists');
    expect(run.stdout).toContain('user dify_app can create tables in database app_plugins (schema public)');
    expect(existing()).toEqual(['app_main', 'app_plugins']);
  });

  test('with createDatabases false, a missing database fails in one line naming it and the setting, and none is created', () => {
    const run = runAsApp({ DATABASES: 'app_main app_missing app_gone' });

    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(
      /^missing on 127\.0\.0\.1:\d+: database\(s\) app_missing app_gone, and postgresql\.external\.createDatabases is false, so none is created: .*name databases that exist in postgresql\.external\.databases$/)]);
    expect(existing()).toEqual(['app_main', 'app_plugins']);
  });

  test('with createDatabases true, a user without CREATEDB is told so, with the way out, before any statement', () => {
    const run = runAsApp({ DATABASES: 'app_main app_missing', CREATE_DATABASES: 'true' });

    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(
      /^cannot create database\(s\) app_missing on 127\.0\.0\.1:\d+: user dify_app has no CREATEDB; .* and set postgresql\.external\.createDatabases: false$/)]);
    expect(existing()).toEqual(['app_main', 'app_plugins']);
  });

  // PostgreSQL 15 and later: only a database's owner (and whom it grants) may create in `public`.
  test('a database the user may enter but not create tables in is refused, naming the grant', () => {
    asSuperuser('CREATE DATABASE app_foreign');
    const run = runAsApp({ DATABASES: 'app_main app_foreign' });
    asSuperuser(`GRANT CREATE ON SCHEMA public TO ${app.user}`, 'app_foreign');
    const granted = runAsApp({ DATABASES: 'app_main app_foreign' });
    asSuperuser('DROP DATABASE app_foreign');

    expect(run.status).not.toBe(0);
    expect(run.stderr.trim()).toBe('user dify_app cannot create tables in schema public of database app_foreign: GRANT CREATE ON SCHEMA public TO dify_app, or make it the database\'s owner');
    expect(granted.status).toBe(0);
  });

  test('a database the user may not connect to is refused, naming it', () => {
    asSuperuser('CREATE DATABASE app_closed');
    asSuperuser('REVOKE CONNECT ON DATABASE app_closed FROM PUBLIC');
    const run = runAsApp({ DATABASES: 'app_main app_closed' });
    asSuperuser('DROP DATABASE app_closed');

    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^user dify_app cannot connect to database app_closed: .*permission denied for database "?app_closed/);
  });

  test('a user barred from the maintenance database reads the catalog in its own', () => {
    asSuperuser('CREATE DATABASE app_maintenance');
    asSuperuser('REVOKE CONNECT ON DATABASE app_maintenance FROM PUBLIC');
    const run = runAsApp({ PGDATABASE: 'app_maintenance' });
    const missing = runAsApp({ PGDATABASE: 'app_maintenance', DATABASES: 'app_main app_missing' });
    asSuperuser('DROP DATABASE app_maintenance');

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(missing.stderr).toMatch(/database\(s\) app_missing,/);
  });
});
