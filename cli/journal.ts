/**
 * The journal of a publish: what it moves into dist/, written into the staging folder before the first move, so
 * that a failed move, or the next run after a killed one, can put every old file back.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface JournalEntry {
  readonly file: string;
  /** The inode of the new file moved in; undefined for a stale file the run removes. */
  readonly newInode?: number;
}

export interface Journal {
  readonly distDir: string;
  readonly files: readonly JournalEntry[];
}

/** The journal's name in the staging folder. */
export const JOURNAL_FILE = 'journal.json';
/** The folder of the staging folder that keeps the old files, hard-linked. */
export const PREVIOUS_DIR = '.previous';

export function inode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}

/**
 * Undoes the moves a journal lists, for files that still are what the run put there: the old file back from
 * .previous/, or the new file removed where there was none before.
 */
export function rollBack(staging: string, journal: Journal): void {
  for (const entry of journal.files) {
    const target = path.join(journal.distDir, entry.file);
    const previous = path.join(staging, PREVIOUS_DIR, entry.file);
    const putThere = entry.newInode !== undefined && inode(target) === entry.newInode;
    const removedByRun = entry.newInode === undefined && !fs.existsSync(target);
    if (!putThere && !removedByRun) continue;
    if (fs.existsSync(previous)) fs.renameSync(previous, target);
    else if (putThere) fs.rmSync(target);
  }
}
