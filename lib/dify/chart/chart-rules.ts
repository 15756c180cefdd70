/**
 * Checks of `dify.chart`, the community chart as the app tier: the settings only the native tier reads are refused
 * (a setting that silently does nothing is worse than an error), and the chart's values may not set what the
 * platform decides, rewire the data tier or hold a credential.
 */
import { parseImageReference } from '../../config/grammar';
import { Issue } from '../../setting-issue';
import { envIssues } from '../dify-rules';
import { DifySettings } from '../dify-settings';
import { ExtraEnvVar } from '../pod-settings';
import { chartWiredPointer } from '../wiring/wired-env';
import { ChartFamily, chartFamilyOf } from './chart-family';
import { valueAt } from './chart-values';

/** Settings of the native app tier, which the chart tier does not read. */
const NATIVE_ONLY: readonly (keyof DifySettings)[] = [
  'gateway', 'pods', 'pluginStorage', 'api', 'worker', 'beat', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy', 'collaboration', 'agent',
];

/** `dify.chart` against the settings beside it and the values it is given. */
export function chartIssues(dify: DifySettings): Issue[] {
  const chart = dify.chart;
  if (!chart) return [];
  const issues: Issue[] = [];
  if (dify.version === undefined) {
    issues.push({ path: ['dify', 'version'], input: undefined,
      message: 'with dify.chart the Dify version must be given: the chart\'s images are pinned to it and the migration Job runs it' });
  }
  // Each community chart runs one worker Deployment with one set of queues (douban 0.4.1 and 0.9.1
  // templates/deployment.yaml, BorisPolonsky 0.38.0-rc2 templates/worker-deployment.yaml): no pools to give it.
  const { pools, ...workerRest } = dify.worker ?? {};
  if (pools !== undefined) {
    issues.push({ path: ['dify', 'worker', 'pools'], input: pools.map((pool) => pool.name),
      message: 'needs the native app tier: the community chart (dify.chart) runs one worker Deployment for every queue' });
  }
  for (const key of NATIVE_ONLY) {
    if (key === 'worker' && pools !== undefined && Object.keys(workerRest).length === 0) continue;
    if (dify[key] !== undefined) {
      issues.push({ path: ['dify', key], input: dify[key], message: 'is a setting of the native app tier; with dify.chart the chart\'s values decide it (dify.chart.values)' });
    }
  }
  for (const [name, reference] of Object.entries(dify.images ?? {})) {
    if (reference !== undefined && parseImageReference(reference)?.tag === undefined) {
      issues.push({ path: ['dify', 'images', name], input: reference,
        message: 'the chart writes images as repository:tag: give a tag, with the digest after it if you pin one (repository:tag@sha256:...)' });
    }
  }
  if (dify.ingress?.extraHosts !== undefined && chartFamilyOf(chart).chartIngress) {
    issues.push({ path: ['dify', 'ingress', 'extraHosts'], input: dify.ingress.extraHosts, message: 'the chart\'s Ingress serves one host: dify.host' });
  }
  return [...issues, ...valuesIssues(chart.values ?? {}, chartFamilyOf(chart))];
}

function valuesIssues(values: Readonly<Record<string, unknown>>, family: ChartFamily): Issue[] {
  const at = (dotted: string): (string | number)[] => ['dify', 'chart', 'values', ...dotted.split('.')];
  const issues: Issue[] = [];
  for (const [dotted, pointer] of family.ownedValues) {
    const value = valueAt(values, dotted);
    if (value !== undefined) issues.push({ path: at(dotted), input: value, message: `the platform sets it; to change it use ${pointer.text}` });
  }
  for (const dotted of family.credentialValues) {
    const value = valueAt(values, dotted);
    if (typeof value === 'string' && value !== '') {
      issues.push({ path: at(dotted), input: '(hidden)', message: 'is a credential in git; the platform\'s Secret gives it to the containers in its place' });
    }
  }
  for (const dotted of family.envLists) {
    const list = valueAt(values, dotted);
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      issues.push({ path: at(dotted), input: list, message: 'must be a list of environment variables ({name, value} or {name, valueFrom})' });
      continue;
    }
    const nameless = list.findIndex((entry) => typeof (entry as { name?: unknown } | null)?.name !== 'string');
    if (nameless >= 0) {
      issues.push({ path: [...at(dotted), nameless], input: list[nameless], message: 'must be an environment variable with a name' });
      continue;
    }
    // As dify.backendEnv is checked, with what the chart tier wires.
    issues.push(...envIssues(at(dotted), list as ExtraEnvVar[], chartWiredPointer));
  }
  return issues;
}
