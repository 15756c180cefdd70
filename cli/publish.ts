/**
 * Publishing all files or none: every file a publish replaces is hard-linked into the staging folder and a journal
 * written first (cli/journal.ts), then one atomic rename per file from the staging folder on the same filesystem,
 * then this app's stale files removed. A move that fails puts every old file back before the error is thrown; a run
 * killed while moving leaves its journal, and the next run puts the old files back (cli/staging.ts).
 * Files in dist/ that this app did not write (a kustomization.yaml, notes) are never touched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { failPoint, faultPoint } from './faults';
import { inode, Journal, JOURNAL_FILE, PREVIOUS_DIR, rollBack } from './journal';

function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split('\n')[0];
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether `file` was written by this app (its first line starts with `prefix`, the header synth writes). */
function isOurs(file: string, prefix: string): boolean {
  return fs.statSync(file).isFile() && firstLine(file).startsWith(prefix);
}

/**
 * What publishing does: each new file over its old self, and this app's files that no platform writes any more
 * removed. A file of the same name that the app did not write (a kustomization.yaml of your own) is kept, with a note.
 */
function publishPlan(distDir: string, files: readonly string[], prefix: string): { moves: string[]; stale: string[] } {
  const moves = files.filter((file) => {
    const target = path.join(distDir, file);
    if (!file.endsWith('.k8s.yaml') && fs.existsSync(target) && !isOurs(target, prefix)) {
      console.error(`note: ${file} in ${distDir} is not one synth wrote; left as it is`);
      return false;
    }
    return true;
  });
  return { moves, stale: stalePlatformFiles(distDir, files, prefix) };
}

/** The platform files of this app's in `distDir` that no config writes any more (`files` are the ones written): publishing removes them. */
export function stalePlatformFiles(distDir: string, files: readonly string[], prefix: string): string[] {
  if (!fs.existsSync(distDir)) return [];
  const written = new Set(files);
  return fs.readdirSync(distDir).sort()
    .filter((file) => file.endsWith('.k8s.yaml') && !written.has(file) && isOurs(path.join(distDir, file), prefix));
}

/**
 * Publishes the `files` of `staging` into `distDir`, all or none; on a failure every old file is back in place
 * before the error is thrown. `prefix` is how this app's files begin. Returns the files moved in.
 */
export function publish(staging: string, distDir: string, files: readonly string[], prefix: string): string[] {
  fs.mkdirSync(distDir, { recursive: true });
  const { moves, stale } = publishPlan(distDir, files, prefix);
  const previousDir = path.join(staging, PREVIOUS_DIR);
  fs.mkdirSync(previousDir);
  // Old files are kept by a second name in the staging folder (same filesystem) before anything moves.
  for (const file of [...moves, ...stale]) {
    const target = path.join(distDir, file);
    if (fs.existsSync(target)) fs.linkSync(target, path.join(previousDir, file));
  }
  const journal: Journal = {
    distDir,
    files: [...moves.map((file) => ({ file, newInode: inode(path.join(staging, file)) })), ...stale.map((file) => ({ file }))],
  };
  fs.writeFileSync(path.join(staging, JOURNAL_FILE), JSON.stringify(journal));
  try {
    moves.forEach((file, index) => {
      failPoint(file);
      fs.renameSync(path.join(staging, file), path.join(distDir, file));
      if (index === 0) faultPoint('after-first-file');
    });
    faultPoint('before-stale-removal');
    for (const file of stale) fs.rmSync(path.join(distDir, file));
  } catch (error) {
    rollBack(staging, journal);
    throw error;
  }
  fs.rmSync(path.join(staging, JOURNAL_FILE));
  return moves;
}
