/**
 * The settings guide's steps to keep running the chart after an import: "add dify.chart" alone was refused, as the
 * chart tier does not read the component settings the import writes. The steps it gives now must give a valid config.
 */
import * as fs from 'fs';
import * as path from 'path';
import { importValues } from '../../lib/values-import/import-values';
import { configProblems } from '../helpers/configs';
import { ROOT } from '../helpers/pipeline';

const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'settings-guide.md'), 'utf8');
const CHART = { repo: 'https://douban.github.io/charts/', name: 'dify', version: '0.9.1' };
// A douban values file as a user keeps one: every component with a replica count, and a ServiceAccount.
const VALUES = {
  global: { host: 'dify.example.com' }, serviceAccount: { create: true, name: 'dify' },
  ...Object.fromEntries(['api', 'worker', 'frontend', 'sandbox', 'pluginDaemon', 'beat'].map((component) => [component, { replicaCount: 1 }])),
};

test('an imported config kept on the chart as the settings guide says is valid; with dify.chart added alone it is refused', () => {
  const { config } = importValues(VALUES);
  const withChart = { ...config, dify: { ...(config.dify as Record<string, unknown>), version: '1.13.3', chart: CHART } };
  expect(configProblems(withChart)).toContainEqual(expect.stringMatching(/: dify\.api: .* is not allowed: is a setting of the native app tier/));

  const removed: string[] = /remove these native-tier settings: ((?:`dify\.\w+`,?\s*)+);/.exec(GUIDE)?.[1].match(/dify\.\w+/g) ?? [];
  const kept = Object.fromEntries(Object.entries(withChart.dify).filter(([key]) => !removed.includes(`dify.${key}`)));
  expect(configProblems({ ...withChart, dify: { ...kept, chart: { ...CHART, values: { api: { replicaCount: 2 } } } } })).toEqual([]);
});
