/**
 * Rendering a chart: `helm template` of a prepared copy (helm-run.ts: a checked helm, a time limit) loaded by cdk8s's
 * Include, or the same render from the cache (render-cache.ts).
 */
import { parseAllDocuments } from 'yaml';
import * as fs from 'fs';
import { App, Chart, Include } from 'cdk8s';
import { checkHelm, helmTemplate } from './helm-run';
import { DifyContext } from '../dify-context';
import { CHART_RELEASE_NAME, mergeValues } from './chart-values';
import { chartFamilyOf } from './chart-family';
import { ChartMetadata, ChartSource, findHelm, localChartDir, prepareChart } from './chart-source';
import { cachedRender, cacheRender, renderKey, treeDigest } from './render-cache';
import { chartLabel, lockedPackage } from './vendored-charts';

/** The Kubernetes version charts are rendered for: the one the output is validated against (cdk8s-plus-28). */
const KUBE_VERSION = '1.28.0';

export interface RenderedChart {
  readonly chart: ChartMetadata;
  readonly objects: Record<string, any>[];
}

/**
 * `helm template` of a prepared copy of the chart (helm-run.ts), as plain objects; or the same
 * render from the cache. The chart's identity is known before any copy is made (a folder by its own files, a
 * locked package by its digest), so a cached render costs neither a copy nor an unpacking.
 */
export function renderChart(ctx: DifyContext, baseDir: string): RenderedChart {
  const settings = ctx.config.settings.chart!;
  const family = chartFamilyOf(settings);
  const helm = findHelm();
  const helmVersion = checkHelm(helm);
  const inputs = {
    releaseName: CHART_RELEASE_NAME,
    namespace: ctx.namespace,
    values: mergeValues(family.platformValues(ctx), settings.values ?? {}, family.joinedLists),
    helmFlags: ['--skip-tests', '--kube-version', KUBE_VERSION],
  };
  // What the copy leaves out is part of the key: a change to it must not find an older render.
  const { source, identity } = resolveChart(settings, baseDir);
  const key = renderKey(identity, helm, { ...inputs, dropped: family.replacedDependencies, helmVersion });
  const cached = cachedRender<RenderedChart>(key);
  if (cached) return cached;
  const prepared = prepareChart(source, family.replacedDependencies);
  try {
    const file = helmTemplate(helm, prepared.dir, prepared.scratch, inputs);
    const render = {
      chart: { name: prepared.name, version: prepared.version, appVersion: prepared.appVersion },
      objects: loadRendered(file),
    };
    cacheRender(key, render);
    return render;
  } finally {
    prepared.dispose();
  }
}

/** Where the chart is read from, and its identity for the render cache: a folder's files, or a locked package's digest. */
function resolveChart(settings: NonNullable<DifyContext['config']['settings']['chart']>, baseDir: string): { source: ChartSource; identity: string } {
  if (settings.path !== undefined) {
    const folder = localChartDir(settings.path, baseDir);
    return { source: { folder }, identity: treeDigest(folder) };
  }
  const reference = { repo: settings.repo!, name: settings.name!, version: settings.version! };
  const { file, entry } = lockedPackage(reference);
  return { source: { packageFile: file, label: chartLabel(reference) }, identity: entry.digest };
}

/**
 * Why helm's output is no list of Kubernetes objects, in words (undefined when it is one): every YAML document is
 * empty or a mapping with a string apiVersion and kind. Said before cdk8s's Include reads it, whose own errors on
 * such output name its internals ("Cannot read properties of undefined").
 */
export function renderedShapeProblem(text: string): string | undefined {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  for (const [index, document] of documents.entries()) {
    const problem = document.errors[0];
    if (problem) return `document ${index + 1}: ${problem.message.split('\n')[0]}`;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      return `document ${index + 1}: ${(error as Error).message.split('\n')[0]}`;
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return `document ${index + 1} is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not an object`;
    const object = value as Record<string, unknown>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return `document ${index + 1} has no apiVersion and kind`;
  }
  return undefined;
}

/**
 * helm's output as plain objects, loaded into a scratch app by cdk8s's Include (the objects are hardened before any
 * becomes part of the platform). Output that is not YAML objects with a kind is refused, not passed on.
 */
function loadRendered(file: string): Record<string, any>[] {
  const shape = renderedShapeProblem(fs.readFileSync(file, 'utf8'));
  if (shape) throw new Error(`helm printed something that is not Kubernetes YAML: ${shape}`);
  let objects: Record<string, any>[];
  try {
    objects = new Include(new Chart(new App(), 'render'), 'Chart', { url: file }).apiObjects.map((object) => object.toJson());
  } catch (error) {
    throw new Error(`helm printed something that is not Kubernetes YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (objects.length === 0) throw new Error('helm rendered no object for the chart');
  return objects;
}
