/**
 * `helm template` output kept by everything it depends on: the chart copy's files, the values, the flags and the
 * helm binary. Rendering is deterministic in those, so a synth whose chart and chart inputs did not change reads the
 * objects instead of starting helm (and cdk8s's YAML loader) again: about 0.3 s saved per chart platform and synth.
 * Kept in node_modules/.cache; deleting the folder is always safe.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../wiring/project-files';

/** Where renders are kept: the project's node_modules/.cache, beside the other tool caches. */
export const CACHE_DIR = () => path.join(projectRoot(), 'node_modules', '.cache', 'dify-kubeblocks', 'helm-renders');

/** Every file under `dir` with its bytes, in a stable order. */
function hashTree(hash: ReturnType<typeof createHash>, dir: string, prefix = ''): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, path.join(dir, entry.name), `${relative}/`);
    else hash.update(`${relative}\0`).update(fs.readFileSync(path.join(dir, entry.name))).update('\0');
  }
}

/** A chart folder's identity: the digest of every file under it, names included. */
export function treeDigest(chartDir: string): string {
  const hash = createHash('sha256');
  hashTree(hash, chartDir);
  return `tree:${hash.digest('hex')}`;
}

/**
 * The key of a render: the chart's identity (treeDigest of a folder, or the locked digest of a package), the helm
 * binary (path, size, time) and every other input of the run.
 */
export function renderKey(chartIdentity: string, helm: string, inputs: unknown): string {
  const binary = fs.statSync(helm);
  return createHash('sha256').update(JSON.stringify({ chartIdentity, helm, size: binary.size, modified: binary.mtimeMs, inputs })).digest('hex');
}

export function cachedRender<T>(key: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(CACHE_DIR(), `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Written beside and renamed: a reader never sees half a file. A cache that cannot be written is only slower. */
export function cacheRender(key: string, render: unknown): void {
  try {
    fs.mkdirSync(CACHE_DIR(), { recursive: true });
    const file = path.join(CACHE_DIR(), `${key}.json`);
    fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(render));
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only project: render every time.
  }
}
