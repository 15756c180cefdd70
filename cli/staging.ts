/**
 * The staging folders synth writes beside dist/, named `.synth-<pid>-<start time>-<random>`, and the recovery of
 * those a killed run left: one killed while publishing holds its journal, and its old files go back first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asError } from './errors';
import { Journal, JOURNAL_FILE, rollBack } from './journal';

const STAGING_PREFIX = '.synth-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return asError(error).code === 'EPERM';
  }
}

/**
 * When a process started (Linux: /proc/<pid>/stat, field 22, in clock ticks since boot), or undefined where that
 * cannot be read. With the pid it tells a run from a later process that got the same pid after the run was killed.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the run that made a staging folder still runs: its pid is alive and, where known, started when it did. */
function isRunning(pid: number, started: string | undefined): boolean {
  if (!isAlive(pid)) return false;
  const now = startTimeOf(pid);
  return started === undefined || now === undefined || now === started;
}

/**
 * Clears the staging folders in `parent` whose process is gone (left by a killed run). One that was killed while
 * publishing holds its journal: its old files go back first, so dist/ is whole again. Returns the dist folders so
 * restored.
 */
export function recoverKilledRuns(parent: string): string[] {
  const recovered: string[] = [];
  for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent).sort() : []) {
    // `.synth-<pid>-<start time>-<random>`; folders of older versions have no start time.
    const match = /^\.synth-(\d+)-(?:(\d+)-)?/.exec(entry);
    if (!match) continue;
    const [pid, started] = [Number(match[1]), match[2]];
    const ownRun = pid === process.pid && (started === undefined || started === startTimeOf(process.pid));
    if (ownRun || isRunning(pid, started)) continue;
    const staging = path.join(parent, entry);
    const journalFile = path.join(staging, JOURNAL_FILE);
    if (fs.existsSync(journalFile)) {
      const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
      rollBack(staging, journal);
      recovered.push(journal.distDir);
    }
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return recovered;
}

/**
 * The dist folders in `parent` that a run killed while publishing left half-published (its journal is still there),
 * read without touching anything: what `plan` must not take for a baseline.
 */
export function interruptedPublishes(parent: string): string[] {
  const found: string[] = [];
  for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent).sort() : []) {
    const match = /^\.synth-(\d+)-(?:(\d+)-)?/.exec(entry);
    const journalFile = path.join(parent, entry, JOURNAL_FILE);
    if (!match || isRunning(Number(match[1]), match[2]) || !fs.existsSync(journalFile)) continue;
    found.push((JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal).distDir);
  }
  return found;
}

/** A new staging folder of this run in `parent` (the same filesystem as dist/, so every move is one rename). */
export function makeStaging(parent: string): string {
  const started = startTimeOf(process.pid);
  return fs.mkdtempSync(path.join(parent, `${STAGING_PREFIX}${process.pid}-${started === undefined ? '' : `${started}-`}`));
}
