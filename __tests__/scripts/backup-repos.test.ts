/**
 * A BackupRepo shared by platforms, through the real pipeline (scripts/synth.js and scripts/plan.js): refused
 * conflicts leave dist/ as it was; a repo that moves between platform files is shown as a move and kept; a repo no
 * platform writes any more is refused (a prune would delete it) unless --allow-destructive.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { buildApp, fingerprint, ROOT, runSynth, tempDir } from '../helpers/pipeline';

beforeAll(buildApp);

const REPO = 'backupRepo: { provider: minio, bucket: kb-backups, endpoint: "http://minio.backup:9000", credentialsSecret: { name: minio-creds } }\n';

/** A config folder of two small platforms, `a` and `b`, with the given extra lines each. */
function configs(a: string, b: string): string {
  const dir = tempDir('repos-');
  fs.writeFileSync(path.join(dir, 'a.yaml'), `namespace: dify-a\nvectorStore: pgvector\n${a}`);
  fs.writeFileSync(path.join(dir, 'b.yaml'), `namespace: dify-b\nvectorStore: pgvector\n${b}`);
  return dir;
}

function synth(configDir: string, dist: string, argv: string[] = []) {
  return runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }, { argv });
}

function plan(configDir: string, dist: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DIFY_CONFIG_DIR: configDir, DIST_DIR: dist };
  delete env.INIT_CWD;
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js')], { cwd: ROOT, encoding: 'utf8', env });
}

function reposIn(dist: string, file: string): string[] {
  return (loadAll(fs.readFileSync(path.join(dist, file), 'utf8')) as any[]).filter((o) => o.kind === 'BackupRepo').map((o) => o.metadata.name);
}

/** A dist/ that synth wrote from two platforms sharing one repo (in a's file), and the config folder. */
function sharedRepo(): { configDir: string; dist: string } {
  const configDir = configs(REPO, REPO);
  const dist = path.join(tempDir('dist-'), 'dist');
  expect(synth(configDir, dist).status).toBe(0);
  expect([reposIn(dist, 'a.k8s.yaml'), reposIn(dist, 'b.k8s.yaml')]).toEqual([['dify-backups'], []]);
  return { configDir, dist };
}

describe('a BackupRepo shared by platforms, through synth and plan', () => {
  test('a conflicting definition is refused in one line and dist/ is left as it was', () => {
    const { configDir, dist } = sharedRepo();
    const before = fingerprint(dist);
    fs.writeFileSync(path.join(configDir, 'b.yaml'), `namespace: dify-b\nvectorStore: pgvector\n${REPO.replace('kb-backups', 'other-bucket')}`);

    const run = synth(configDir, dist);

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${configDir}/b.yaml: backupRepo.bucket: "other-bucket" is not allowed: BackupRepo "dify-backups" is defined by ${configDir}/a.yaml with `
      + '"kb-backups"; a BackupRepo is one object of the whole Kubernetes cluster: define it the same in every platform, or give this one another name',
      expect.stringMatching(/^synth failed; .* left as it was$/),
    ]);
    expect(fingerprint(dist)).toEqual(before);
  });

  test('when the first platform drops its backupRepo, the repo moves to the other file: plan shows a move, synth keeps it', () => {
    const { configDir, dist } = sharedRepo();
    fs.writeFileSync(path.join(configDir, 'a.yaml'), 'namespace: dify-a\nvectorStore: pgvector\n');

    const shown = plan(configDir, dist);

    expect(shown.status).toBe(0);
    expect(shown.stdout.split('\n')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^a\.k8s\.yaml .*: 0 to create, 0 to change, 0 to delete, 1 moving out to another file$/),
      '  > BackupRepo/dify-backups   moves to b.k8s.yaml, and stays in the cluster',
      expect.stringMatching(/^b\.k8s\.yaml .*: 0 to create, 0 to change, 0 to delete, 1 moving in from another file$/),
      '  > BackupRepo/dify-backups   moves here from a.k8s.yaml, and stays in the cluster',
    ]));
    expect(synth(configDir, dist).status).toBe(0);
    expect([reposIn(dist, 'a.k8s.yaml'), reposIn(dist, 'b.k8s.yaml')]).toEqual([[], ['dify-backups']]);
  });

  test('a repo no platform writes any more is refused in one line (a prune would delete it), unless --allow-destructive', () => {
    const { configDir, dist } = sharedRepo();
    const before = fingerprint(dist);
    for (const file of ['a.yaml', 'b.yaml']) fs.writeFileSync(path.join(configDir, file), `namespace: dify-${file[0]}\nvectorStore: pgvector\n`);

    const refused = synth(configDir, dist);

    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/a\.k8s\.yaml: BackupRepo "dify-backups" is written by no platform any more .* a prune would delete it: .* --allow-destructive$/),
      expect.stringMatching(/^synth refused a change/),
    ]);
    expect(fingerprint(dist)).toEqual(before);
    expect(plan(configDir, dist).stdout).toMatch(/^ {2}! refused by a guard rail: .*BackupRepo "dify-backups" is written by no platform any more/m);

    expect(synth(configDir, dist, ['--allow-destructive']).status).toBe(0);
    expect([reposIn(dist, 'a.k8s.yaml'), reposIn(dist, 'b.k8s.yaml')]).toEqual([[], []]);
  });
});
