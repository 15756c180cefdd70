/**
 * The schema gate's two scripts, run for real: schema-heads.py with Python (the api image runs the same standard
 * library) on revision files written the ways Dify's are, and wait-for-schema.sh with psql against a real PostgreSQL.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithPostgres, PostgresServer, startPostgres } from '../../helpers/postgres-server';
import { describeWithTool } from '../../helpers/required-tool';

const SCRIPTS = path.join(__dirname, '..', '..', '..', 'lib', 'dify', 'scripts');
const PYTHON = spawnSync('python3', ['--version']).status === 0;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'schema-gate-'));
}

/** A migrations folder of revision files, each `[file, text]`. */
function migrations(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function heads(folder: string) {
  const out = path.join(tempDir(), 'heads');
  const run = spawnSync('python3', [path.join(SCRIPTS, 'schema-heads.py'), folder, out], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, heads: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined };
}

const ROOT_REVISION = `"""init\n\nRevision ID: 64b051264f32\nRevises: \n"""\nimport models as models\n\nrevision = '64b051264f32'\ndown_revision = None\nbranch_labels = None\n`;

describeWithTool(PYTHON, 'Python 3', 'apt-get install python3')('schema-heads.py', () => {
  test('names the one revision no other revises, from files it parses without importing them', () => {
    const folder = migrations({
      '64b051264f32_init.py': ROOT_REVISION,
      'a1_second.py': 'import models.types\nrevision = "a1"\ndown_revision = "64b051264f32"\n',
      // Annotated, as newer Alembic templates write them.
      'b2_third.py': 'from typing import Union\nrevision: str = "b2"\ndown_revision: Union[str, None] = "a1"\n',
      '__init__.py': '',
    });

    expect(heads(folder)).toEqual({ status: 0, stderr: '', heads: 'b2\n' });
  });

  test('a merge revision ends two branches; two open branches are two heads', () => {
    const base = { '0_root.py': ROOT_REVISION, 'x.py': 'revision = "x"\ndown_revision = "64b051264f32"\n', 'y.py': 'revision = "y"\ndown_revision = "64b051264f32"\n' };

    expect(heads(migrations(base)).heads).toBe('x\ny\n');
    expect(heads(migrations({ ...base, 'm.py': 'revision = "m"\ndown_revision = ("x", "y")\n' })).heads).toBe('m\n');
  });

  test('a folder without revisions, or with a revision whose parent is missing, fails and writes nothing', () => {
    const empty = heads(migrations({ '__init__.py': '' }));
    const broken = heads(migrations({ 'a.py': 'revision = "a"\ndown_revision = "gone"\n' }));

    expect([empty.status, empty.heads]).toEqual([1, undefined]);
    expect(empty.stderr).toContain('no Alembic revisions');
    expect([broken.status, broken.heads]).toEqual([1, undefined]);
    expect(broken.stderr).toContain('gone');
  });
});

describeWithPostgres('wait-for-schema.sh against a real PostgreSQL', () => {
  let server: PostgresServer;
  const headsFile = path.join(tempDir(), 'heads');

  beforeAll(async () => {
    server = await startPostgres();
    psql('postgres', 'CREATE DATABASE dify');
    fs.writeFileSync(headsFile, 'b2\n');
  });
  afterAll(() => server?.stop());

  function pgEnv() {
    return { PATH: process.env.PATH!, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password };
  }

  function psql(database: string, sql: string): void {
    const run = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql], { encoding: 'utf8', env: pgEnv() });
    expect(run.stderr).toBe('');
  }

  /** Runs the gate asynchronously, so the test can migrate while it waits. */
  function gate(waitSeconds: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('sh', [path.join(SCRIPTS, 'wait-for-schema.sh')], {
        env: { ...pgEnv(), WAIT_DATABASE: 'dify', HEADS_FILE: headsFile, WAIT_SECONDS: String(waitSeconds), WAIT_INTERVAL: '0.2' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  test('a database never migrated fails the bounded check, saying where it stands', async () => {
    const run = await gate(1);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('schema of dify on 127.0.0.1 is at no revision, the image needs b2');
  });

  test('a schema behind the head fails the bounded check: a migration skipped for a held lock is not done', async () => {
    psql('dify', "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('a1')");

    const run = await gate(1);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is at a1, the image needs b2');
  });

  test('an unbounded wait holds until the migration reaches the head, then lets the pod start', async () => {
    const waiting = gate(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    psql('dify', "UPDATE alembic_version SET version_num = 'b2'");

    const run = await waiting;

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('waiting for the schema of dify on 127.0.0.1: at a1, needs b2');
    expect(run.stdout).toContain("schema of dify is at the image's head: b2");
  });

  test('an empty heads file is refused at once', async () => {
    fs.writeFileSync(headsFile, '');
    const run = await gate(0);
    fs.writeFileSync(headsFile, 'b2\n');

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no schema head');
  });
});
