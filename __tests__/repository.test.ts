/**
 * The repository holds only the project's own work: its code, what its own tools generate (imports/) and facts
 * with their source. Third-party files lie beside it (helpers/third-party.ts), and only the tests and dev-time
 * commands may name that folder: nothing a user runs may need it.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './helpers/pipeline';
import { describeWithThirdParty, THIRD_PARTY_DIR } from './helpers/third-party';

/** Where the third-party folder may be named: the tests, CI, the tests' setup and the dev-time locator. */
const MAY_NAME_SHARED = ['__tests__/', '.ci/', 'jest.', 'scripts/third-party.js', 'docs/development.md'];

function trackedFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  expect(listed.status).toBe(0);
  return listed.stdout.split('\0').filter((file) => file && fs.existsSync(path.join(ROOT, file)) && fs.statSync(path.join(ROOT, file)).isFile());
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('the repository', () => {
  test('only the tests and dev-time commands name the third-party folder beside it', () => {
    const grep = spawnSync('git', ['grep', '-l', '-e', '\\.\\./shared', '--', '.'], { cwd: ROOT, encoding: 'utf8' });
    // git grep exits 1 when nothing matches, 128 when it could not look.
    expect([0, 1]).toContain(grep.status);
    const naming = grep.stdout.split('\n').filter(Boolean);
    expect(naming.filter((file) => !MAY_NAME_SHARED.some((allowed) => file.startsWith(allowed)))).toEqual([]);
  });

  test('no test reads the repository\'s config/ or dist/: a platform added there never changes what npm test does', () => {
    // The tests' own platform is __tests__/fixtures/project/; CI checks dist/ against config/ with synth --check.
    const grep = spawnSync('git', ['grep', '-n', '-E', "(ROOT|'\\.\\.'), '(config|dist)'", '--', '__tests__'], { cwd: ROOT, encoding: 'utf8' });
    expect([0, 1]).toContain(grep.status);
    expect(grep.stdout).toBe('');
  });

  test('no vendor/ folder is tracked: a user\'s locked charts go there, never this repository\'s', () => {
    expect(trackedFiles().filter((file) => file.startsWith('vendor/'))).toEqual([]);
  });
});

describeWithThirdParty('the third-party copy check', 'README.md')('nothing third-party comes back by accident', () => {
  test('no tracked file has the bytes of a file in the third-party folder', () => {
    const theirs = new Map<string, string>();
    for (const file of fs.readdirSync(THIRD_PARTY_DIR!, { recursive: true, encoding: 'utf8' })) {
      const full = path.join(THIRD_PARTY_DIR!, file);
      // An empty file is nobody's work.
      if (fs.statSync(full).isFile() && fs.statSync(full).size > 0) theirs.set(sha256(full), file);
    }
    expect(theirs.size).toBeGreaterThan(50);
    const copies = trackedFiles().filter((file) => theirs.has(sha256(path.join(ROOT, file))))
      .map((file) => `${file} = ${theirs.get(sha256(path.join(ROOT, file)))}`);
    expect(copies).toEqual([]);

    // What npm pack would publish (tracked or not, unless ignored) has none either.
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status).toBe(0);
    const packed: string[] = JSON.parse(pack.stdout)[0].files.map((file: { path: string }) => file.path);
    expect(packed.length).toBeGreaterThan(50);
    expect(packed.filter((file) => theirs.has(sha256(path.join(ROOT, file)))).map((file) => `${file} = ${theirs.get(sha256(path.join(ROOT, file)))}`)).toEqual([]);
  });
});
