import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar';
import { CHARTS_DIR_ENV, digestOf, lockedPackage, readLock, repositoryFolder, sameRepository, unpackChart, writeLock } from '../../../lib/dify/chart/vendored-charts';
import { tempDir } from '../../helpers/pipeline';
import { COMMUNITY_CHART_FILES, DOUBAN_REPO } from '../../helpers/community-charts';
import { describeWithThirdParty } from '../../helpers/third-party';

/** A small chart package of our own: `<name>/Chart.yaml` and one template, packed as helm packs one. */
function chartPackage(version = '0.4.1'): string {
  const source = tempDir('chart-source-');
  fs.mkdirSync(path.join(source, 'dify', 'templates'), { recursive: true });
  fs.writeFileSync(path.join(source, 'dify', 'Chart.yaml'), `apiVersion: v2\nname: dify\nversion: ${version}\n`);
  fs.writeFileSync(path.join(source, 'dify', 'templates', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dify\n');
  const file = path.join(tempDir('package-'), `dify-${version}.tgz`);
  tar.c({ gzip: true, cwd: source, file, sync: true, portable: true }, ['dify']);
  return file;
}

/** A project root with a vendor/charts holding a chart package and a lock written by the code under test. */
function projectWithLockedChart(): string {
  const root = tempDir('project-');
  const dir = path.join(root, 'vendor', 'charts', 'douban.github.io_charts');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'dify-0.4.1.tgz');
  fs.copyFileSync(chartPackage(), file);
  writeLock([{ repository: DOUBAN_REPO, name: 'dify', version: '0.4.1', package: 'douban.github.io_charts/dify-0.4.1.tgz', digest: digestOf(file) }], root);
  return root;
}

describeWithThirdParty('the community charts\' lock', ...COMMUNITY_CHART_FILES)('the community charts the chart examples render', () => {
  test('their lock names both douban packages and BorisPolonsky\'s, and each has the bytes it was locked with', () => {
    const lock = readLock();
    expect(lock.map((entry) => `${entry.repository} ${entry.name} ${entry.version}`)).toEqual([
      `${DOUBAN_REPO} dify 0.4.1`, `${DOUBAN_REPO} dify 0.9.1`, 'https://borispolonsky.github.io/dify-helm dify 0.38.0-rc2']);
    for (const entry of lock) expect(() => lockedPackage({ repo: entry.repository, name: entry.name, version: entry.version })).not.toThrow();
  });
});

describe('locked chart packages', () => {
  test('DIFY_CHARTS_DIR names the folder of packages and lock, relative to where npm runs; errors name it as given', () => {
    const root = projectWithLockedChart();
    const saved = { dir: process.env[CHARTS_DIR_ENV], cwd: process.env.INIT_CWD };
    try {
      process.env.INIT_CWD = root;
      process.env[CHARTS_DIR_ENV] = 'vendor/charts/';
      expect(lockedPackage({ repo: DOUBAN_REPO, name: 'dify', version: '0.4.1' }).file).toBe(path.join(root, 'vendor', 'charts', 'douban.github.io_charts', 'dify-0.4.1.tgz'));
      process.env[CHARTS_DIR_ENV] = tempDir('no-charts-');
      expect(() => lockedPackage({ repo: DOUBAN_REPO, name: 'dify', version: '0.4.1' })).toThrow(`package locked in ${process.env[CHARTS_DIR_ENV]}/charts.lock`);
    } finally {
      for (const [key, value] of [[CHARTS_DIR_ENV, saved.dir], ['INIT_CWD', saved.cwd]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
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

  // A project made by init has no `charts` npm script: every hint names the command that works in both.
  test('each hint names npx dify-kubeblocks charts add, which a project made by init has', () => {
    const root = projectWithLockedChart();
    const add = (version: string) => `npx dify-kubeblocks charts add ${DOUBAN_REPO} dify ${version}`;
    expect(() => lockedPackage({ repo: DOUBAN_REPO, name: 'dify', version: '9.9.9' }, root)).toThrow(`run ${add('9.9.9')} once and commit what it writes`);
    expect(fs.readFileSync(path.join(root, 'vendor', 'charts', 'charts.lock'), 'utf8')).toMatch(/^# Written by `npx dify-kubeblocks charts add`/);
    fs.writeFileSync(path.join(root, 'vendor', 'charts', 'charts.lock'), '[]\n');
    expect(() => readLock(root)).toThrow(expect.objectContaining({ allowed: expect.stringMatching(/lock the charts again with npx dify-kubeblocks charts add$/) }));
  });

  test('a lock entry that points outside vendor/charts is refused', () => {
    const root = projectWithLockedChart();
    fs.writeFileSync(path.join(root, 'vendor', 'charts', 'charts.lock'),
      `charts:\n  - { repository: ${DOUBAN_REPO}, name: dify, version: 0.4.1, package: ../../../etc/passwd, digest: "sha256:${'0'.repeat(64)}" }\n`);
    expect(() => readLock(root)).toThrow(expect.objectContaining({ value: 'vendor/charts/charts.lock entry 1', allowed: expect.stringMatching(/^every entry needs/) }));
  });

  test.each([
    ['a YAML syntax error', 'charts: [\n  - { repository: x\n', /^not valid YAML: /],
    ['an unknown tag', 'charts: !custom []\n', /^not valid YAML: Unresolved tag: !custom/],
    ['a list at its top', '- 1\n', /not a mapping/],
    ['bytes that are not UTF-8', Buffer.from([0x63, 0x68, 0xe9, 0x0a]), /is not UTF-8 text/],
  ])('a lock with %s is refused in one line naming it', (_case, content, reason) => {
    const root = projectWithLockedChart();
    fs.writeFileSync(path.join(root, 'vendor', 'charts', 'charts.lock'), content);
    let thrown: unknown;
    try {
      readLock(root);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ value: 'vendor/charts/charts.lock', allowed: expect.stringMatching(reason) });
    expect(String((thrown as { allowed: string }).allowed)).not.toContain('\n');
  });

  test('a lock that is a link to a device, or huge, is refused without reading it whole', () => {
    const root = projectWithLockedChart();
    const lock = path.join(root, 'vendor', 'charts', 'charts.lock');
    fs.rmSync(lock);
    fs.symlinkSync('/dev/zero', lock);
    expect(() => readLock(root)).toThrow(expect.objectContaining({ allowed: expect.stringMatching(/^is not a regular file/) }));
    fs.rmSync(lock);
    fs.writeFileSync(lock, `charts: []\n${'#'.repeat(2 * 1024 * 1024)}\n`);
    expect(() => readLock(root)).toThrow(expect.objectContaining({ allowed: expect.stringMatching(/^is \d+ bytes; at most 1048576 are read/) }));
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
    const dir = unpackChart(chartPackage('0.9.1'), tempDir('unpack-'), 'douban');
    expect(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')).toMatch(/version: 0\.9\.1/);
  });
});

describe('a package built to exhaust the machine', () => {
  test('a package that unpacks to far more than a chart (a zip bomb) is refused from its headers, before anything is unpacked', () => {
    const source = tempDir('bomb-');
    fs.mkdirSync(path.join(source, 'dify'));
    fs.writeFileSync(path.join(source, 'dify', 'Chart.yaml'), 'name: dify\nversion: 1.0.0\n');
    // 200 MiB of zeros compresses to about 200 KiB.
    const fd = fs.openSync(path.join(source, 'dify', 'zeros'), 'w');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 200; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const file = path.join(tempDir('package-'), 'dify-1.0.0.tgz');
    tar.c({ gzip: true, cwd: source, file, sync: true }, ['dify']);
    fs.rmSync(source, { recursive: true });
    const work = tempDir('unpack-');

    expect(() => unpackChart(file, work, 'bomb')).toThrow(/its package unpacks to over 5000 files or 100 MiB, which no Dify chart does: refused/);
    expect(fs.readdirSync(work)).toEqual([]);
  });
});
