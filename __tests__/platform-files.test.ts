/**
 * Objects placed across platform files (lib/platform-files.ts, through lib/pipeline's writePlatforms): a BackupRepo
 * several platforms define is written once, conflicting definitions and a second default are refused, and no object
 * is in two files. The folder is checked with a real kubectl kustomize (scripts/tools.js).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { writePlatforms } from '../lib/pipeline';
import { ConfigError, DifyPlatformProps, PlatformConfig } from '../lib';
import { placeObjects } from '../lib/platform-files';
import { ROOT, tempDir } from './helpers/pipeline';

const REPO = { provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', credentialsSecret: { name: 'minio-creds' } } as const;
/** A small platform (two clusters), so each test builds little. */
const SMALL: DifyPlatformProps = { vectorStore: 'pgvector', networkPolicies: false };

function config(name: string, props: DifyPlatformProps): PlatformConfig {
  return { name, source: `config/${name}.yaml`, props: { ...SMALL, namespace: `dify-${name}`, ...props } };
}

function objectsIn(dir: string, file: string): any[] {
  return loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[];
}

/** The problems writePlatforms refused with; fails when it wrote instead. */
function refusal(outdir: string, configs: PlatformConfig[]): readonly string[] {
  try {
    writePlatforms(outdir, configs);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('writePlatforms wrote the platforms');
}

describe('platform files', () => {
  test('two platforms with the same backupRepo: one BackupRepo, in the first file, named by both platforms\' clusters; kubectl kustomize takes the folder', () => {
    const outdir = path.join(tempDir('files-'), 'dist');
    const backup = { postgresql: { backup: { schedule: '0 2 * * *' } } };

    writePlatforms(outdir, [config('a', { backupRepo: REPO, ...backup }), config('b', { backupRepo: REPO, ...backup })]);

    const repos = (file: string) => objectsIn(outdir, file).filter((object) => object.kind === 'BackupRepo').map((repo) => repo.metadata.name);
    expect([repos('a.k8s.yaml'), repos('b.k8s.yaml')]).toEqual([['dify-backups'], []]);
    for (const file of ['a.k8s.yaml', 'b.k8s.yaml']) {
      expect(objectsIn(outdir, file).find((object) => object.kind === 'Cluster').spec.backup.repoName).toBe('dify-backups');
    }
    const kubectl = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'tools.js'), 'kubectl'], { encoding: 'utf8' }).trim();
    const rendered = loadAll(execFileSync(kubectl, ['kustomize', outdir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as any[];
    expect(rendered.filter((object) => object.kind === 'BackupRepo')).toHaveLength(1);
  }, 120000);

  test('the same BackupRepo name with another bucket is refused in one line naming both configs and the setting; nothing is written', () => {
    const outdir = path.join(tempDir('files-'), 'dist');

    expect(refusal(outdir, [config('a', { backupRepo: REPO }), config('b', { backupRepo: { ...REPO, bucket: 'other-bucket' } })])).toEqual([
      'config/b.yaml: backupRepo.bucket: "other-bucket" is not allowed: BackupRepo "dify-backups" is defined by config/a.yaml with "kb-backups"; '
      + 'a BackupRepo is one object of the whole Kubernetes cluster: define it the same in every platform, or give this one another name',
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('two repos both marked default are refused in one line; with default: false on one, each platform writes its own', () => {
    const outdir = path.join(tempDir('files-'), 'dist');
    const second = { ...REPO, name: 'team-b' };

    expect(refusal(outdir, [config('a', { backupRepo: REPO }), config('b', { backupRepo: second })])).toEqual([
      expect.stringMatching(/^config\/b\.yaml: backupRepo\.default: true is not allowed: BackupRepo "team-b" would be the installation's default beside "dify-backups" of config\/a\.yaml, .*"multiple default BackupRepo found"/),
    ]);
    expect(fs.existsSync(outdir)).toBe(false);

    writePlatforms(outdir, [config('a', { backupRepo: REPO }), config('b', { backupRepo: { ...second, default: false } })]);
    expect(objectsIn(outdir, 'b.k8s.yaml').filter((object) => object.kind === 'BackupRepo').map((repo) => repo.metadata.name)).toEqual(['team-b']);
  });

  test('a cluster-scoped object two platform files would both hold is refused in one line naming its kind, its name and both files', () => {
    const outdir = path.join(tempDir('files-'), 'dist');
    // The config loader refuses two platforms in one namespace first; built in code, the files are the last line.
    const [a, b] = [config('a', { namespace: 'shared' }), config('b', { namespace: 'shared' })];

    expect(refusal(outdir, [a, b])).toEqual([
      expect.stringMatching(/^config\/b\.yaml: Namespace "shared" \(and \d+ more objects\) would be written into both a\.k8s\.yaml \(config\/a\.yaml\) and b\.k8s\.yaml: no two platform files may write the same object/),
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('the check holds for every kind: a ClusterRole in two files is refused, naming both files', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'dify-reader' } };
    const platforms = [{ source: 'config/a.yaml', file: 'a.k8s.yaml', objects: [role] }, { source: 'config/b.yaml', file: 'b.k8s.yaml', objects: [role] }];

    expect(() => placeObjects(platforms)).toThrow(new ConfigError([
      'config/b.yaml: ClusterRole "dify-reader" would be written into both a.k8s.yaml (config/a.yaml) and b.k8s.yaml: no two platform files may '
      + 'write the same object (kubectl apply -k refuses the folder, and each file would undo the other); give the platforms different names for it',
    ]));
    expect(placeObjects([platforms[0], { ...platforms[1], objects: [{ ...role, metadata: { name: 'dify-writer' } }] }])).toHaveLength(2);
  });
});
