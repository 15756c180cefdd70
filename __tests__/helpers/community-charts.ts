/**
 * The community Dify charts the chart tier is tested with (douban `dify` 0.4.1 and 0.9.1, BorisPolonsky's
 * `dify-helm` 0.38.0-rc2): their packages and lock are in the third-party folder's charts/, never in the
 * repository. Tests that render them are skipped where it is absent (helpers/third-party.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar';
import { describeWithThirdParty, thirdPartyFile } from './third-party';

/** How configs name the douban chart, as the seed's `helm upgrade -i dify douban/dify` does. */
export const DOUBAN_REPO = 'https://douban.github.io/charts/';

export type DoubanVersion = '0.4.1' | '0.9.1';

/** How configs name BorisPolonsky's chart, as its README's `helm repo add` does. */
export const BORIS_REPO = 'https://borispolonsky.github.io/dify-helm';

/** BorisPolonsky's chart for Dify 1.16.1. */
export const BORIS_VERSION = '0.38.0-rc2';

/** The packages and their charts.lock, relative to the third-party folder. */
export const COMMUNITY_CHARTS = 'charts';
const DOUBAN_PACKAGES = path.join(COMMUNITY_CHARTS, 'douban.github.io_charts');
const BORIS_PACKAGE = path.join(COMMUNITY_CHARTS, 'borispolonsky.github.io_dify-helm', `dify-${BORIS_VERSION}.tgz`);

/** Every community chart file the tests read, for describeWithThirdParty / withThirdParty. */
export const COMMUNITY_CHART_FILES = [path.join(COMMUNITY_CHARTS, 'charts.lock'), path.join(DOUBAN_PACKAGES, 'dify-0.4.1.tgz'),
  path.join(DOUBAN_PACKAGES, 'dify-0.9.1.tgz'), BORIS_PACKAGE];

/** The folder of the packages and their charts.lock (what DIFY_CHARTS_DIR names for the chart examples). */
export function communityChartsDir(): string {
  return thirdPartyFile(COMMUNITY_CHARTS);
}

/** The package of a douban chart version. */
export function doubanPackage(version: DoubanVersion): string {
  return thirdPartyFile(DOUBAN_PACKAGES, `dify-${version}.tgz`);
}

const unpacked = new Map<string, string>();

/** A package unpacked once per test file into a temporary folder; the chart's folder. */
function unpackedChart(file: string, prefix: string): string {
  if (!unpacked.has(file)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tar.x({ file, cwd: dir, sync: true });
    unpacked.set(file, path.join(dir, 'dify'));
  }
  return unpacked.get(file)!;
}

/** The douban chart as a folder (for `dify.chart.path`). */
export function doubanChart(version: DoubanVersion): string {
  return unpackedChart(doubanPackage(version), `douban-${version}-`);
}

/** BorisPolonsky's chart as a folder. */
export function borisChart(): string {
  return unpackedChart(thirdPartyFile(BORIS_PACKAGE), `boris-${BORIS_VERSION}-`);
}

/**
 * `base` (describe, or a describe already gated on another tool such as helm) when the community charts are there;
 * otherwise skipped with a line in the summary (a failure in CI).
 */
export function describeWithCommunityCharts(what: string, base: jest.Describe = describe): jest.Describe {
  const gated = describeWithThirdParty(what, ...COMMUNITY_CHART_FILES);
  return gated === describe ? base : gated;
}
