/**
 * `npm run charts`: the chart packages a config may name by `dify.chart.repo`, `name` and `version`, kept in the
 * project's vendor/charts/ (or DIFY_CHARTS_DIR) and locked by sha256 in its charts.lock, so synth renders the same
 * bytes every time, offline, and refuses a package that changed after it was locked.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { asError } from '../errors';
import { ensureHelm, Library, library } from '../library';

const HELP = `usage: npx dify-kubeblocks charts [verify]
       npx dify-kubeblocks charts add <repository URL> <chart name> <exact version> [--replace]
       (in this repository: npm run charts -- ...)

  verify (the default)  checks every package in vendor/charts/charts.lock against its sha256, and names the
                        packages in vendor/charts/ that the lock does not list
  add                   pulls the chart once with helm (DIFY_HELM, helm on the PATH, or the pinned helm of
                        scripts/tools.js), checks that it is a chart of that name and version, stores it as
                        vendor/charts/<repository>/<name>-<version>.tgz and locks its sha256; commit both.
                        A version already locked with other bytes is refused unless --replace is given (a
                        repository that serves new bytes under an old version deserves a look first).

Then name the chart in a config:  dify: { chart: { repo: <repository URL>, name: <chart name>, version: <version> } }

Environment: DIFY_CHARTS_DIR (another folder of packages and their charts.lock, relative to where you run npm;
default vendor/charts), DIFY_HELM (the helm binary).`;

class UsageError extends Error {}

type LockedChart = ReturnType<Library['vendoredCharts']['readLock']>[number];

/** `helm pull` of one exact version into a new temporary folder; the package's path. */
function pull(helm: string, repo: string, name: string, version: string, work: string): string {
  const oci = repo.startsWith('oci://');
  const args = ['pull', oci ? `${repo.replace(/\/+$/, '')}/${name}` : name, ...(oci ? [] : ['--repo', repo]), '--version', version, '--destination', work];
  const run = spawnSync(helm, args, { encoding: 'utf8', timeout: 120000 });
  if (run.status !== 0) {
    const reason = (run.error?.message ?? run.stderr ?? '').trim().split('\n').pop();
    throw new UsageError(`helm could not pull ${name} ${version} from ${repo}: ${reason}`);
  }
  const packages = fs.readdirSync(work).filter((file) => file.endsWith('.tgz'));
  if (packages.length !== 1) throw new UsageError(`helm pull left ${packages.length} packages, expected one`);
  return path.join(work, packages[0]);
}

function add(app: Library, argv: readonly string[]): number {
  const replace = argv.includes('--replace');
  const [repo, name, version, ...rest] = argv.filter((arg) => arg !== '--replace');
  if (!repo || !name || !version || rest.length > 0) throw new UsageError('add needs exactly <repository URL> <chart name> <exact version>');
  if (!/^(https?|oci):\/\/\S+$/.test(repo)) throw new UsageError(`repository: "${repo}" must be a chart repository URL: https://... or oci://...`);
  // The URL is written into charts.lock and a folder name, both committed: never one that carries a credential.
  const credential = app.urlCredentialProblem(repo);
  if (credential) throw new UsageError(`repository: (hidden) ${credential}; give helm the credential (helm registry login, or a repository without it in the URL)`);
  if (!/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/.test(name)) throw new UsageError(`chart name: "${name}" must be a chart name such as dify`);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version)) throw new UsageError(`version: "${version}" must be an exact version such as 0.9.1`);
  const charts = app.vendoredCharts;
  ensureHelm(app);
  const helm = app.findHelm();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dify-charts-'));
  try {
    const pulled = pull(helm, repo, name, version, work);
    const chartDir = charts.unpackChart(pulled, fs.mkdtempSync(path.join(work, 'check-')), charts.chartLabel({ repo, name, version }));
    // Loaded here, not with the tool: the yaml library is many modules, and most commands never need it.
    const { parse } = require('yaml') as typeof import('yaml');
    const metadata = (parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) ?? {}) as { name?: unknown; version?: unknown };
    if (metadata.name !== name || String(metadata.version) !== version) {
      throw new UsageError(`the package holds chart ${metadata.name} ${metadata.version}, not ${name} ${version}: not locked`);
    }
    const digest = charts.digestOf(pulled);
    const lock = charts.readLock();
    const same = (entry: LockedChart) => charts.sameRepository(entry.repository, repo) && entry.name === name && entry.version === version;
    const existing = lock.find(same);
    if (existing && existing.digest === digest) {
      console.log(`${name} ${version} from ${repo} is locked already, with the same bytes (${digest})`);
      return 0;
    }
    if (existing && !replace) {
      throw new UsageError(`${name} ${version} from ${repo} is locked with ${existing.digest}, and the repository now serves ${digest}: `
        + 'a published version should never change; look at the difference, then run again with --replace to lock the new bytes');
    }
    const packagePath = `${charts.repositoryFolder(repo)}/${name}-${version}.tgz`;
    const target = path.join(charts.chartsDir(), packagePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(pulled, `${target}.${process.pid}.tmp`);
    fs.renameSync(`${target}.${process.pid}.tmp`, target);
    charts.writeLock([...lock.filter((entry) => !same(entry)), { repository: repo, name, version, package: packagePath, digest }]);
    console.log(`locked ${name} ${version} from ${repo}: ${charts.chartsDirShown()}/${packagePath} ${digest}`);
    console.log(`commit ${charts.chartsDirShown()}/ (the package and charts.lock), and the chart's licence beside it if it has none yet`);
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function verify(app: Library): number {
  const charts = app.vendoredCharts;
  const lock = charts.readLock();
  let problems = 0;
  for (const entry of lock) {
    try {
      charts.lockedPackage({ repo: entry.repository, name: entry.name, version: entry.version });
      console.log(`ok  ${entry.repository} ${entry.name} ${entry.version}  ${charts.chartsDirShown()}/${entry.package}`);
    } catch (thrown) {
      problems += 1;
      const error = asError(thrown);
      console.error(`bad ${error.value}: ${error.allowed}`);
    }
  }
  const locked = new Set(lock.map((entry) => entry.package));
  const dir = charts.chartsDir();
  const packages = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.tgz')) : [];
  for (const file of packages.map((name) => name.split(path.sep).join('/')).filter((name) => !locked.has(name)).sort()) {
    problems += 1;
    console.error(`not locked: ${charts.chartsDirShown()}/${file} (no config can use it; remove it, or lock it with npx dify-kubeblocks charts add)`);
  }
  if (lock.length === 0 && problems === 0) console.log('no chart is locked; add one with npx dify-kubeblocks charts add <repo> <name> <version>');
  return problems === 0 ? 0 : 1;
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const [command = 'verify', ...rest] = argv;
  if (!['verify', 'add'].includes(command) || (command === 'verify' && rest.length > 0)) {
    throw new UsageError(`unknown arguments ${argv.join(' ')}; see npx dify-kubeblocks charts --help`);
  }
  const app = library();
  return command === 'add' ? add(app, rest) : verify(app);
}

export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (thrown) {
    const error = asError(thrown);
    const known = error instanceof UsageError || error.name === 'ChartProblem';
    console.error(`charts: ${known || !process.env.DEBUG ? (error.allowed ? `${error.value}: ${error.allowed}` : error.message) : error.stack}`);
    process.exitCode = known ? 2 : 1;
  }
}
