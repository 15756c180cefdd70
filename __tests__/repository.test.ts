/**
 * The repository alone is the product: a user clones it and nothing else. No tracked file may name the team's
 * reference folder beside it, and what is vendored is still what its PROVENANCE recorded.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './helpers/pipeline';

describe('the repository', () => {
  test('no tracked file names a folder outside the repository', () => {
    const grep = spawnSync('git', ['grep', '-n', '-e', '\\.\\./shared', '--', '.', ':(exclude)__tests__/repository.test.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    // git grep exits 1 when nothing matches, 128 when it could not look.
    expect(grep.status).toBe(1);
  });

  test.each(['crds', 'kubeblocks-storage-providers'])('every file vendored in vendor/%s has the sha256 its PROVENANCE records', (folder) => {
    const vendored = path.join(ROOT, 'vendor', folder);
    const provenance = fs.readFileSync(path.join(vendored, 'PROVENANCE.md'), 'utf8');
    const recorded = new Map([...provenance.matchAll(/^\| ([\w./-]+\.yaml) \|.*\| ([0-9a-f]{64}) \|$/gm)].map((match) => [match[1], match[2]]));
    const files = fs.readdirSync(vendored, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml')).sort();
    expect([...recorded.keys()].sort()).toEqual(files);
    for (const file of files) {
      expect(`${file} ${createHash('sha256').update(fs.readFileSync(path.join(vendored, file))).digest('hex')}`).toBe(`${file} ${recorded.get(file)}`);
    }
  });
});
