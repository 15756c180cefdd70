/**
 * The third-party material the tests read, all of it vendored in the repository (vendor/, with its PROVENANCE):
 * a clone with nothing beside it runs every test.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar';

export const VENDOR_DIR = path.join(__dirname, '..', '..', 'vendor');

/** How configs name the douban chart, as the seed's `helm upgrade -i dify douban/dify` does. */
export const DOUBAN_REPO = 'https://douban.github.io/charts/';

export type DoubanVersion = '0.4.1' | '0.9.1';

/** The vendored package of a douban chart version. */
export function doubanPackage(version: DoubanVersion): string {
  return path.join(VENDOR_DIR, 'charts', 'douban.github.io_charts', `dify-${version}.tgz`);
}

const unpacked = new Map<DoubanVersion, string>();

/** The douban chart as a folder (for `dify.chart.path`), unpacked once per test file from its vendored package. */
export function doubanChart(version: DoubanVersion): string {
  if (!unpacked.has(version)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `douban-${version}-`));
    tar.x({ file: doubanPackage(version), cwd: dir, sync: true });
    unpacked.set(version, path.join(dir, 'dify'));
  }
  return unpacked.get(version)!;
}

/** How configs name BorisPolonsky's chart, as its README's `helm repo add` does. */
export const BORIS_REPO = 'https://borispolonsky.github.io/dify-helm';

/** The vendored package of BorisPolonsky's chart for Dify 1.16.1. */
export const BORIS_VERSION = '0.38.0-rc2';

/** BorisPolonsky's chart as a folder, unpacked once per test file from its vendored package. */
export function borisChart(): string {
  if (!unpackedBoris) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `boris-${BORIS_VERSION}-`));
    tar.x({ file: path.join(VENDOR_DIR, 'charts', 'borispolonsky.github.io_dify-helm', `dify-${BORIS_VERSION}.tgz`), cwd: dir, sync: true });
    unpackedBoris = path.join(dir, 'dify');
  }
  return unpackedBoris;
}
let unpackedBoris: string | undefined;
