/**
 * Where the chart comes from and the copy that is rendered: a local folder, or the package a repository chart was
 * locked to in vendor/charts (vendored-charts.ts), copied to a temporary folder without the subcharts the platform
 * replaces (helm refuses to render a chart whose declared dependencies are missing, and the douban chart ships none
 * of its Bitnami subcharts). Nothing here needs helm unless a config names a chart.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ChartProblem } from './chart-problem';
import { unpackChart } from './vendored-charts';

export { ChartProblem };

/** The environment variable that names a helm binary when none is on the PATH (or another one is wanted). */
export const HELM_ENV = 'DIFY_HELM';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The helm binary: DIFY_HELM when set, else `helm` on the PATH. Throws a ChartProblem when there is none. */
export function findHelm(environment: NodeJS.ProcessEnv = process.env): string {
  const given = environment[HELM_ENV];
  if (given) {
    if (isExecutableFile(given)) return given;
    throw new ChartProblem('dify.chart', given, `${HELM_ENV} names no executable helm binary`);
  }
  const onPath = (environment.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'helm')).find(isExecutableFile);
  if (onPath) return onPath;
  throw new ChartProblem('dify.chart', 'helm', `a chart is rendered with helm, and there is none on the PATH: install helm 3 or set ${HELM_ENV} `
    + '(node scripts/tools.js helm prints a pinned one)');
}

/** What the chart's Chart.yaml says about itself. */
export interface ChartMetadata {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
}

/** A chart copy ready for `helm template`, to be removed with `dispose()` once rendered. */
export interface PreparedChart extends ChartMetadata {
  readonly dir: string;
  /** A folder for the temporary files of the render, removed with the copy. */
  readonly scratch: string;
  /** The subcharts removed from the copy. */
  readonly dropped: readonly string[];
  dispose(): void;
}

/**
 * Where a chart is read from, already resolved: a chart folder (localChartDir), or a locked package whose digest was
 * checked (vendored-charts.ts's lockedPackage), with the label its error lines name it by.
 */
export type ChartSource = { readonly folder: string } | { readonly packageFile: string; readonly label: string };

/** A temporary copy of the chart without the subcharts the platform replaces (its family's: chart-family.ts). */
export function prepareChart(source: ChartSource, replaced: readonly string[]): PreparedChart {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dify-chart-'));
  const dispose = () => fs.rmSync(work, { recursive: true, force: true });
  try {
    const dir = 'folder' in source ? copyLocalChart(source.folder, work) : unpackChart(source.packageFile, work, source.label);
    const metadata = dropReplacedDependencies(dir, replaced);
    const scratch = path.join(work, 'tmp');
    fs.mkdirSync(scratch);
    return { ...metadata, dir, scratch, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** The chart folder `dify.chart.path` names, resolved against `baseDir`; a ChartProblem when it holds no chart. */
export function localChartDir(given: string, baseDir: string): string {
  const source = path.resolve(baseDir, given);
  if (!fs.existsSync(path.join(source, 'Chart.yaml'))) {
    throw new ChartProblem('dify.chart.path', given, `must be a chart folder (one with a Chart.yaml); ${source} is not one`);
  }
  return source;
}

function copyLocalChart(source: string, work: string): string {
  const dir = path.join(work, 'chart');
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}

/** Removes the replaced dependencies from Chart.yaml, their vendored copies from charts/, and the lock file. */
function dropReplacedDependencies(dir: string, replaced: readonly string[]): ChartMetadata & { dropped: string[] } {
  const file = path.join(dir, 'Chart.yaml');
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  const chart = document.toJS() as { name: string; version: string; appVersion?: string; dependencies?: { name: string }[] };
  const dependencies = chart.dependencies ?? [];
  const dropped = dependencies.filter((dependency) => replaced.includes(dependency.name)).map((dependency) => dependency.name);
  if (dropped.length > 0) {
    const kept = dependencies.filter((dependency) => !dropped.includes(dependency.name));
    if (kept.length > 0) document.set('dependencies', kept);
    else document.delete('dependencies');
    fs.writeFileSync(file, document.toString());
    // The lock lists what was dropped; helm would report the copy as out of date with it.
    fs.rmSync(path.join(dir, 'Chart.lock'), { force: true });
    removeVendored(path.join(dir, 'charts'), dropped);
  }
  return { name: chart.name, version: String(chart.version), appVersion: chart.appVersion === undefined ? undefined : String(chart.appVersion), dropped };
}

/** A subchart in charts/ is rendered whatever Chart.yaml says: the replaced ones go (`redis/` or `redis-19.1.1.tgz`). */
function removeVendored(chartsDir: string, names: readonly string[]): void {
  if (!fs.existsSync(chartsDir)) return;
  for (const entry of fs.readdirSync(chartsDir)) {
    if (names.some((name) => entry === name || new RegExp(`^${name}-\\d[^/]*\\.tgz$`).test(entry))) {
      fs.rmSync(path.join(chartsDir, entry), { recursive: true, force: true });
    }
  }
}
