/**
 * Rendering a chart: `helm template` of a prepared copy through cdk8s's Helm construct, or the same render from the
 * cache (render-cache.ts).
 */
import { App, Chart, Helm } from 'cdk8s';
import { DifyContext } from '../dify-context';
import { CHART_RELEASE_NAME, mergeValues, platformValues } from './chart-values';
import { ChartMetadata, ChartSource, findHelm, localChartDir, prepareChart, REPLACED_DEPENDENCIES } from './chart-source';
import { cachedRender, cacheRender, renderKey, treeDigest } from './render-cache';
import { chartLabel, lockedPackage } from './vendored-charts';

/** The Kubernetes version charts are rendered for: the one the output is validated against (cdk8s-plus-28). */
const KUBE_VERSION = '1.28.0';

export interface RenderedChart {
  readonly chart: ChartMetadata;
  readonly objects: Record<string, any>[];
}

/**
 * `helm template` of a prepared copy of the chart, through cdk8s's Helm construct, as plain objects; or the same
 * render from the cache. The chart's identity is known before any copy is made (a folder by its own files, a
 * locked package by its digest), so a cached render costs neither a copy nor an unpacking.
 */
export function renderChart(ctx: DifyContext, baseDir: string): RenderedChart {
  const settings = ctx.config.settings.chart!;
  const helm = findHelm();
  const inputs = {
    releaseName: CHART_RELEASE_NAME,
    namespace: ctx.namespace,
    values: mergeValues(platformValues(ctx), settings.values ?? {}),
    helmFlags: ['--skip-tests', '--kube-version', KUBE_VERSION],
  };
  // What the copy leaves out is part of the key: a change to it must not find an older render.
  const { source, identity } = resolveChart(settings, baseDir);
  const key = renderKey(identity, helm, { ...inputs, dropped: REPLACED_DEPENDENCIES });
  const cached = cachedRender<RenderedChart>(key);
  if (cached) return cached;
  const prepared = prepareChart(source);
  try {
    // A scratch app: the objects are hardened before any becomes part of the platform.
    const rendered = withTemporaryFolder(prepared.scratch,
      () => new Helm(new Chart(new App(), 'render'), 'Chart', { chart: prepared.dir, helmExecutable: helm, ...inputs }));
    const render = {
      chart: { name: prepared.name, version: prepared.version, appVersion: prepared.appVersion },
      objects: rendered.apiObjects.map((object) => object.toJson()),
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
 * Runs `step` with the process's temporary folder (os.tmpdir(), and its child processes') set to `folder`. The Helm
 * construct writes the values and helm's output into a folder of its own there and leaves it; this way it goes with
 * the chart copy instead of staying in /tmp after every render.
 */
function withTemporaryFolder<T>(folder: string, step: () => T): T {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  try {
    return step();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}
