import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar';
import { lockedPackage, readLock, repositoryFolder, sameRepository, unpackChart, writeLock } from '../../../lib/dify/chart/vendored-charts';
import { tempDir } from '../../helpers/pipeline';
import { DOUBAN_REPO, doubanPackage } from '../../helpers/vendored';

/** A project root with a vendor/charts holding the douban 0.4.1 package and a lock written by the code under test. */
function projectWithLockedChart(): string {
  const root = tempDir('project-');
  const dir = path.join(root, 'vendor', 'charts', 'douban.github.io_charts');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(doubanPackage('0.4.1'), path.join(dir, 'dify-0.4.1.tgz'));
  writeLock([{ repository: DOUBAN_REPO, name: 'dify', version: '0.4.1', package: 'douban.github.io_charts/dify-0.4.1.tgz',
    digest: 'sha256:69b4e8ee748374f871a7ff8dd32c4a347b6b028bb4a3898516056317fb6fe8c7' }], root);
  return root;
}

describe('vendored chart packages', () => {
  test('the committed lock names both douban packages and BorisPolonsky\'s, and each has the bytes it was locked with', () => {
    const lock = readLock();
    expect(lock.map((entry) => `${entry.repository} ${entry.name} ${entry.version}`)).toEqual([
      `${DOUBAN_REPO} dify 0.4.1`, `${DOUBAN_REPO} dify 0.9.1`, 'https://borispolonsky.github.io/dify-helm dify 0.38.0-rc2']);
    for (const entry of lock) expect(() => lockedPackage({ repo: entry.repository, name: entry.name, version: entry.version })).not.toThrow();
  });

  test('a repository is the same with or without its trailing slash, and gets a folder of its own', () => {
    expect(sameRepository('https://douban.github.io/charts', DOUBAN_REPO)).toBe(true);
    expect(repositoryFolder(DOUBAN_REPO)).toBe('douban.github.io_charts');
    expect(repositoryFolder('oci://registry.example.org/team/charts')).toBe('registry.example.org_team_charts');
  });

  test('a package whose bytes changed, or that is missing, is refused', () => {
    const root = projectWithLockedChart();
    const reference = { repo: DOUBAN_REPO, name: 'dify', version: '0.4.1' };
    expect(lockedPackage(reference, root).entry.version).toBe('0.4.1');
    const file = path.join(root, 'vendor', 'charts', 'douban.github.io_charts', 'dify-0.4.1.tgz');
    fs.appendFileSync(file, '\0');
    expect(() => lockedPackage(reference, root)).toThrow(/is not the one locked/);
    fs.rmSync(file);
    expect(() => lockedPackage(reference, root)).toThrow(/its package vendor\/charts\/douban.github.io_charts\/dify-0.4.1.tgz is missing/);
  });

  test('a lock entry that points outside vendor/charts is refused', () => {
    const root = projectWithLockedChart();
    fs.writeFileSync(path.join(root, 'vendor', 'charts', 'charts.lock'),
      `charts:\n  - { repository: ${DOUBAN_REPO}, name: dify, version: 0.4.1, package: ../../../etc/passwd, digest: "sha256:${'0'.repeat(64)}" }\n`);
    expect(() => readLock(root)).toThrow(expect.objectContaining({ value: 'vendor/charts/charts.lock entry 1', allowed: expect.stringMatching(/^every entry needs/) }));
  });

  test('a package with a link or a path leaving its folder is refused before anything is written', () => {
    const source = tempDir('hostile-');
    fs.mkdirSync(path.join(source, 'dify', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(source, 'dify', 'Chart.yaml'), 'name: dify\nversion: 1.0.0\n');
    fs.symlinkSync('/etc/passwd', path.join(source, 'dify', 'templates', 'passwd.yaml'));
    const file = path.join(tempDir('package-'), 'dify-1.0.0.tgz');
    tar.c({ gzip: true, cwd: source, file, sync: true }, ['dify']);
    const work = tempDir('unpack-');

    expect(() => unpackChart(file, work, 'hostile')).toThrow(/holds entries a chart has no use for: dify\/templates\/passwd.yaml \(SymbolicLink\)/);
    expect(fs.readdirSync(work)).toEqual([]);
  });

  test('a package is unpacked into its chart folder', () => {
    const dir = unpackChart(doubanPackage('0.9.1'), tempDir('unpack-'), 'douban');
    expect(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')).toMatch(/version: 0\.9\.1/);
  });
});
