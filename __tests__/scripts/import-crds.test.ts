import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('npm run import', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), 'imports');

  beforeAll(() => {
    execFileSync('node', [path.join(ROOT, 'scripts', 'import-crds.js'), '--crds', path.join(ROOT, 'vendor', 'crds', 'kubeblocks'), '--out', out],
      { cwd: ROOT, stdio: 'pipe' });
  });

  test('regenerates imports/ byte for byte from the KubeBlocks CRDs: nothing in it was edited by hand', () => {
    const committed = path.join(ROOT, 'imports');

    expect(filesUnder(out)).toEqual(filesUnder(committed));
    for (const file of filesUnder(committed)) {
      expect([file, fs.readFileSync(path.join(out, file), 'utf8')]).toEqual([file, fs.readFileSync(path.join(committed, file), 'utf8')]);
    }
  });

  test('each release line and kind gets its own module, so no import overwrites another', () => {
    expect(filesUnder(out).filter((file) => file.endsWith('.ts'))).toEqual([
      'kb09-cluster-apps.kubeblocks.io.ts',
      'kb09-opsrequest-apps.kubeblocks.io.ts',
      'kb10-cluster-apps.kubeblocks.io.ts',
      'kb10-opsrequest-operations.kubeblocks.io.ts',
    ]);
  });

  test('the schemas keep only the stored version, without descriptions', () => {
    const cluster = JSON.parse(fs.readFileSync(path.join(out, 'schemas', '1.0', 'cluster.json'), 'utf8'));

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1');
    expect(JSON.stringify(cluster)).not.toContain('"description":"');
  });
});
