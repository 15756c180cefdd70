/**
 * Charts named by repository, name and exact version are rendered from a package the user locked in their project,
 * never pulled at synth time: `npx dify-kubeblocks charts add <repo> <name> <version>` pulls it once into
 * vendor/charts/<repository>/<name>-<version>.tgz and writes its sha256 into vendor/charts/charts.lock (the
 * convention of `helm dependency build`: the package in a charts/ folder, its digest in a lock file). Synth, plan
 * and the tests then work offline, always on the same bytes, and a package changed after it was locked is refused.
 * DIFY_CHARTS_DIR names another such folder (packages and their charts.lock), e.g. one shared by several projects;
 * this repository's own chart examples take theirs that way (docs/chart-tier.md).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar';
import { stringify } from 'yaml';
import { ConfigError } from '../../config/config-error';
import { parseUserYaml, readUserText } from '../../config/yaml-input';
import { projectDir } from '../wiring/project-files';
import { ChartProblem } from './chart-problem';

/** The folder of the vendored chart packages and their lock, relative to the project root. */
export const VENDORED_CHARTS_DIR = path.join('vendor', 'charts');
export const CHARTS_LOCK = 'charts.lock';
/** The environment variable naming another folder of chart packages and their lock, relative to where npm runs. */
export const CHARTS_DIR_ENV = 'DIFY_CHARTS_DIR';

/** One locked chart: where it came from and the exact bytes it was. */
export interface LockedChart {
  readonly repository: string;
  readonly name: string;
  readonly version: string;
  /** The package, relative to vendor/charts. */
  readonly package: string;
  /** `sha256:<hex>` of the package file. */
  readonly digest: string;
}

export interface ChartReference {
  readonly repo: string;
  readonly name: string;
  readonly version: string;
}

/** A package path the lock may name: one folder per repository, then `<name>-<version>.tgz`; nothing else. */
const PACKAGE_PATH = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\.tgz$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Repositories are compared without a trailing slash: `https://x/charts` and `https://x/charts/` are one. */
export function sameRepository(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** The folder a repository's packages go into: its host and path, with every other character a `_`. */
export function repositoryFolder(repo: string): string {
  return repo.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '').replace(/[^A-Za-z0-9.-]+/g, '_');
}

/** The folder of the packages and their lock, and how error lines name it. */
interface ChartsFolder {
  readonly dir: string;
  readonly shown: string;
}

/**
 * A project's vendor/charts when `root` is given; otherwise DIFY_CHARTS_DIR when set (relative to where npm was
 * run, as DIFY_CONFIG_DIR is), else the user's project's vendor/charts (projectDir).
 */
function chartsFolder(root?: string): ChartsFolder {
  const given = root === undefined ? process.env[CHARTS_DIR_ENV] : undefined;
  if (given) return { dir: path.resolve(process.env.INIT_CWD ?? process.cwd(), given), shown: given.replace(/\/+$/, '') };
  return { dir: path.join(root ?? projectDir(), VENDORED_CHARTS_DIR), shown: VENDORED_CHARTS_DIR };
}

export function chartsDir(root?: string): string {
  return chartsFolder(root).dir;
}

/** How error lines and npm run charts name the charts folder: vendor/charts, or DIFY_CHARTS_DIR as given. */
export function chartsDirShown(root?: string): string {
  return chartsFolder(root).shown;
}

/** The lock's entries; a lock that is not one (hand-edited into another shape) is refused, naming the entry. */
export function readLock(root?: string): LockedChart[] {
  const { dir, shown } = chartsFolder(root);
  const file = path.join(dir, CHARTS_LOCK);
  if (!fs.existsSync(file)) return [];
  const lock = readLockFile(file, `${shown}/${CHARTS_LOCK}`);
  const entries = Array.isArray(lock?.charts) ? lock!.charts : [];
  return entries.map((entry, index) => {
    const candidate = entry as Partial<LockedChart>;
    const valid = ['repository', 'name', 'version', 'package', 'digest'].every((key) => typeof (candidate as Record<string, unknown>)[key] === 'string')
      && PACKAGE_PATH.test(candidate.package!) && DIGEST.test(candidate.digest!);
    if (!valid) {
      throw new ChartProblem('dify.chart', `${shown}/${CHARTS_LOCK} entry ${index + 1}`,
        'every entry needs repository, name, version, package (<folder>/<name>-<version>.tgz) and digest (sha256:<hex>): restore the file from git or lock the chart again with npx dify-kubeblocks charts add');
    }
    return candidate as LockedChart;
  });
}

/** A lock lists a few charts; anything far larger is no lock (a link to a device, a file pasted over it). */
const MAX_LOCK_BYTES = 1024 * 1024;

/**
 * The lock's YAML, read as every user's YAML is (lib/config/yaml-input.ts: a regular UTF-8 file of at most
 * MAX_LOCK_BYTES, plain YAML). Anything else is one ChartProblem naming the file, never the parser's code frame.
 */
function readLockFile(file: string, shown: string): { charts?: unknown } | null {
  const refuse = (why: string): never => {
    throw new ChartProblem('dify.chart', shown, `${why}: restore it from git, or lock the charts again with npx dify-kubeblocks charts add`);
  };
  let lock: unknown;
  try {
    lock = parseUserYaml(readUserText(file, shown, MAX_LOCK_BYTES, 'a lock file'), shown);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // `<shown>[:line:col]: why`: the setting is named by the ChartProblem already.
    return refuse(error.problems[0].slice(shown.length).replace(/^(:\d+:\d+)?: /, ''));
  }
  if (lock !== null && lock !== undefined && (typeof lock !== 'object' || Array.isArray(lock))) refuse('is not a lock npx dify-kubeblocks charts add wrote (not a mapping)');
  return (lock ?? null) as { charts?: unknown } | null;
}

/** Writes the lock, entries sorted, so that locking the same charts gives the same bytes. */
export function writeLock(entries: readonly LockedChart[], root?: string): void {
  const sorted = [...entries].sort((a, b) => `${a.repository}\0${a.name}\0${a.version}`.localeCompare(`${b.repository}\0${b.name}\0${b.version}`));
  const header = '# Written by `npx dify-kubeblocks charts add`: the chart packages beside this file, by repository, name and\n'
    + '# version, with the sha256 of each. Synth renders a package only when its bytes still have this digest.\n';
  const file = path.join(chartsDir(root), CHARTS_LOCK);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}.tmp`, header + stringify({ charts: sorted.map((entry) => ({ ...entry })) }));
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

export function digestOf(file: string): string {
  return `sha256:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}

/** How a repository chart is named in error lines: `<repo> <name> <version>`. */
export function chartLabel(reference: ChartReference): string {
  return `${reference.repo} ${reference.name} ${reference.version}`;
}

/**
 * The locked package of a chart reference, its digest checked; a ChartProblem when the chart was never locked or
 * its package is missing or differs from what was locked.
 */
export function lockedPackage(reference: ChartReference, root?: string): { file: string; entry: LockedChart } {
  const { dir, shown } = chartsFolder(root);
  const entry = readLock(root).find((candidate) => sameRepository(candidate.repository, reference.repo)
    && candidate.name === reference.name && candidate.version === reference.version);
  const add = `npx dify-kubeblocks charts add ${reference.repo} ${reference.name} ${reference.version}`;
  if (!entry) {
    throw new ChartProblem('dify.chart', chartLabel(reference),
      `is not vendored: charts are rendered from a package locked in ${shown}/${CHARTS_LOCK}, never pulled at synth; run ${add} once and commit what it writes`);
  }
  const file = path.join(dir, entry.package);
  if (!fs.existsSync(file)) {
    throw new ChartProblem('dify.chart', chartLabel(reference), `its package ${shown}/${entry.package} is missing: restore it from git or run ${add}`);
  }
  if (digestOf(file) !== entry.digest) {
    throw new ChartProblem('dify.chart', chartLabel(reference),
      `its package ${shown}/${entry.package} is not the one locked (its sha256 differs from ${CHARTS_LOCK}): refused; restore it from git, or run ${add} to lock what the repository serves now`);
  }
  return { file, entry };
}

/** A Dify chart package is a few hundred KiB and unpacks to a few MiB in a few hundred files. */
const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
const MAX_PACKAGE_ENTRIES = 5000;

class TooLarge extends Error {}

/**
 * Unpacks a chart package into `work` and returns the chart's folder. A package is third-party input: only regular
 * files and folders under one top folder are taken (no links, devices or paths leaving it), or it is refused.
 */
export function unpackChart(file: string, work: string, shown: string): string {
  const refused: string[] = [];
  const tops = new Set<string>();
  if (fs.statSync(file).size > MAX_PACKAGE_BYTES) {
    throw new ChartProblem('dify.chart', shown, `its package is over ${MAX_PACKAGE_BYTES / 1024 / 1024} MiB, which no Dify chart is: refused`);
  }
  let entries = 0;
  let bytes = 0;
  try {
    tar.t({
      file,
      sync: true,
      onReadEntry: (entry) => {
        // Counted from the headers as they stream by: a package that unpacks to far more than a chart is stopped
        // there, not after gunzip has inflated all of it (a "zip bomb").
        entries += 1;
        bytes += entry.size ?? 0;
        if (entries > MAX_PACKAGE_ENTRIES || bytes > MAX_UNPACKED_BYTES) throw new TooLarge();
        const parts = entry.path.split('/').filter(Boolean);
        if (!['File', 'OldFile', 'Directory'].includes(entry.type) || parts.length === 0 || parts.includes('..') || entry.path.startsWith('/')) {
          refused.push(`${entry.path} (${entry.type})`);
        } else {
          tops.add(parts[0]);
        }
      },
    });
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    throw new ChartProblem('dify.chart', shown, `its package unpacks to over ${MAX_PACKAGE_ENTRIES} files or ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB, `
      + 'which no Dify chart does: refused');
  }
  if (refused.length > 0 || tops.size !== 1) {
    const why = refused.length > 0 ? `holds entries a chart has no use for: ${refused.slice(0, 3).join(', ')}` : 'is not one chart folder';
    throw new ChartProblem('dify.chart', shown, `its package ${why}: refused`);
  }
  tar.x({ file, cwd: work, sync: true, strict: true, preservePaths: false, noChmod: true });
  return path.join(work, [...tops][0]);
}
