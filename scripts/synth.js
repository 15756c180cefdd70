#!/usr/bin/env node
// `npm run synth`: builds the app if a source changed (scripts/build.js), synthesizes every platform into a staging
// folder beside dist/ in this process, checks the guard rails, then publishes all files or none.
// `cdk8s synth` runs the same pipeline (scripts/cdk8s-app.js).
//
// Guarantees, whatever happens to the process (a refused config, a file that cannot be replaced, Ctrl-C, kill -9):
// - dist/ always exists, and each file in it is complete: every file is moved in with one rename(2) from the
//   staging folder on the same filesystem;
// - all files or none: before the first move, every file it replaces is hard-linked into the staging folder and a
//   journal is written; a move that fails puts every old file back before synth exits 1. A run killed while moving
//   leaves its journal, and the next synth (npm run synth or cdk8s synth) puts the old files back first;
// - files in dist/ that this app did not write (a kustomization.yaml, notes) are never touched; only stale
//   `*.k8s.yaml` files that carry this app's header are removed (a platform whose config was deleted);
// - a refused config or guard rail publishes nothing; staging folders of killed runs are removed by the next run;
// - no child process: the app runs in this process, so an interrupted synth leaves nothing running.
'use strict';

const fs = require('fs');
const path = require('path');
const { distFolderProblems } = require('./dist-folder');
const { build, distDirFromEnv, loadApp, loadConfigsOrReport, provideHelm, writePlatformsOrReport } = require('./build');

const ROOT = path.resolve(__dirname, '..');
const STAGING_PREFIX = '.synth-';
const JOURNAL = 'journal.json';
const PREVIOUS = '.previous';

const HELP = `usage: npx dify-kubeblocks synth [--allow-destructive] [--check]   (in this repository: npm run synth -- ...)

Synthesizes one file per platform config of config/ into dist/ (<name>.k8s.yaml, and dist/kustomization.yaml
listing them), after the guard rails compared each with the file it replaces. All files are published or none.
config/ and dist/ are your project's: the nearest folder at or above this one with a cdk8s.yaml.

  --allow-destructive  let the guard rails' refusals through, once (a storage shrink, a removed cluster, ...)
  --check              write nothing; exit 1 naming every file of dist/ that is not what synth writes now (the
                       CI gate of a GitOps repository: dist/ must be committed after every config change)
  --examples           this repository only: examples/config/ into examples/dist/
  --help               this text

Environment: DIFY_CONFIG_DIR (the config folder, relative to where you run npm), DIST_DIR (default dist/),
DIFY_HELM (the helm binary for dify.chart; default: helm on the PATH, else the pinned one of scripts/tools.js),
DIFY_CHARTS_DIR (the folder of chart packages and their charts.lock, relative to where you run npm; default
vendor/charts).`;

/** Fault injection for the tests: DIFY_SYNTH_FAULT=<step> dies here, as `kill -9` would. */
function faultPoint(step) {
  if (process.env.DIFY_SYNTH_FAULT === step) process.kill(process.pid, 'SIGKILL');
}

/** A file-system fault for the tests: DIFY_SYNTH_FAIL_MOVE=<file> makes moving that file fail, as EACCES would. */
function failPoint(file) {
  if (process.env.DIFY_SYNTH_FAIL_MOVE === file) throw Object.assign(new Error(`EACCES: permission denied, rename '${file}'`), { code: 'EACCES' });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * When a process started (Linux: /proc/<pid>/stat, field 22, in clock ticks since boot), or undefined where that
 * cannot be read. With the pid it tells a run from a later process that got the same pid after the run was killed.
 */
function startTimeOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the run that made a staging folder still runs: its pid is alive and, where known, started when it did. */
function isRunning(pid, started) {
  if (!isAlive(pid)) return false;
  const now = startTimeOf(pid);
  return started === undefined || now === undefined || now === started;
}

function inode(file) {
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
function rollBack(staging, journal) {
  for (const entry of journal.files) {
    const target = path.join(journal.distDir, entry.file);
    const previous = path.join(staging, PREVIOUS, entry.file);
    const putThere = entry.newInode !== undefined && inode(target) === entry.newInode;
    const removedByRun = entry.newInode === undefined && !fs.existsSync(target);
    if (!putThere && !removedByRun) continue;
    if (fs.existsSync(previous)) fs.renameSync(previous, target);
    else if (putThere) fs.rmSync(target);
  }
}

/**
 * Staging folders are named `.synth-<pid>-<random>`; those whose process is gone were left by a killed run. One
 * that was killed while publishing holds its journal: its old files go back first, so dist/ is whole again.
 */
function recoverKilledRuns(parent) {
  const recovered = [];
  for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent).sort() : []) {
    // `.synth-<pid>-<start time>-<random>`; folders of older versions have no start time.
    const match = /^\.synth-(\d+)-(?:(\d+)-)?/.exec(entry);
    if (!match) continue;
    const [pid, started] = [Number(match[1]), match[2]];
    const ownRun = pid === process.pid && (started === undefined || started === startTimeOf(process.pid));
    if (ownRun || isRunning(pid, started)) continue;
    const staging = path.join(parent, entry);
    const journalFile = path.join(staging, JOURNAL);
    if (fs.existsSync(journalFile)) {
      const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8'));
      rollBack(staging, journal);
      recovered.push(journal.distDir);
    }
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return recovered;
}

function firstLine(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split('\n')[0];
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether `file` was written by this app (its first line says so). */
function isOurs(file, prefix) {
  return fs.statSync(file).isFile() && firstLine(file).startsWith(prefix);
}

/**
 * What publishing does: each new file over its old self, and this app's files that no platform writes any more
 * removed. A file of the same name that the app did not write (a kustomization.yaml of your own) is kept, with a note.
 */
function publishPlan(staging, distDir, files, prefix) {
  const moves = files.filter((file) => {
    const target = path.join(distDir, file);
    if (!file.endsWith('.k8s.yaml') && fs.existsSync(target) && !isOurs(target, prefix)) {
      console.error(`note: ${file} in ${distDir} is not one synth wrote; left as it is`);
      return false;
    }
    return true;
  });
  const written = new Set(files);
  const stale = fs.readdirSync(distDir).sort()
    .filter((file) => file.endsWith('.k8s.yaml') && !written.has(file) && isOurs(path.join(distDir, file), prefix));
  return { moves, stale };
}

/** Publishes all files or none; on a failure every old file is back in place before the error is thrown. */
function publish(staging, distDir, files, prefix) {
  fs.mkdirSync(distDir, { recursive: true });
  const { moves, stale } = publishPlan(staging, distDir, files, prefix);
  const previousDir = path.join(staging, PREVIOUS);
  fs.mkdirSync(previousDir);
  // Old files are kept by a second name in the staging folder (same filesystem) before anything moves.
  for (const file of [...moves, ...stale]) {
    const target = path.join(distDir, file);
    if (fs.existsSync(target)) fs.linkSync(target, path.join(previousDir, file));
  }
  const journal = {
    distDir,
    files: [...moves.map((file) => ({ file, newInode: inode(path.join(staging, file)) })), ...stale.map((file) => ({ file }))],
  };
  fs.writeFileSync(path.join(staging, JOURNAL), JSON.stringify(journal));
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
  fs.rmSync(path.join(staging, JOURNAL));
  return moves;
}

/** How a folder is shown in messages: relative to where the user ran the command when it is below it. */
function shown(dir) {
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}

/**
 * `--check`: what synth would write (in `staging`) against what `distDir` holds; one line per file that differs, is
 * missing, or is a platform file of this app's that no config writes any more. Reads only.
 */
function staleFiles(staging, distDir, files, prefix) {
  const lines = [];
  for (const file of files) {
    const published = path.join(distDir, file);
    if (!fs.existsSync(published)) lines.push(`${shown(published)}: missing`);
    else if (!fs.readFileSync(published).equals(fs.readFileSync(path.join(staging, file)))) lines.push(`${shown(published)}: not what synth writes now`);
  }
  const written = new Set(files);
  const leftOver = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((file) => file.endsWith('.k8s.yaml') && !written.has(file)
    && fs.statSync(path.join(distDir, file)).isFile() && fs.readFileSync(path.join(distDir, file), 'utf8').startsWith(prefix)) : [];
  for (const file of leftOver.sort()) lines.push(`${shown(path.join(distDir, file))}: no config writes this platform any more`);
  return lines;
}

/**
 * The whole pipeline; returns the exit code and the published files' paths. `options`: distDir, configOptions
 * (for the app's loadConfigs), allowDestructive, check (compare with distDir instead of publishing).
 */
function synthesizeAndPublish({ distDir, configOptions = {}, allowDestructive = false, check = false }) {
  const failed = `synth failed; ${shown(distDir)} left as it was`;
  build();
  faultPoint('after-build');
  const { app, saveCodeCache } = loadApp();
  // Before anything is written beside it (the staging folder) or read from it.
  const problem = app.outputDirProblem(distDir, app.configDirOf(configOptions), shown) ?? distFolderProblems(distDir, shown(distDir))[0];
  if (problem) {
    console.error(`${problem}\n${failed}`);
    return { status: 1, published: [] };
  }
  const parent = path.dirname(distDir);
  fs.mkdirSync(parent, { recursive: true });
  for (const dir of recoverKilledRuns(parent)) console.error(`note: a synth killed while publishing into ${shown(dir)} was undone: its old files are back`);
  const started = startTimeOf(process.pid);
  const staging = fs.mkdtempSync(path.join(parent, `${STAGING_PREFIX}${process.pid}-${started === undefined ? '' : `${started}-`}`));
  // No signal handlers: synth is synchronous, so a handler would only run after it finished. Killed by any signal,
  // the run leaves dist/ whole or its journal, and this staging folder, which the next run clears.
  try {
    const configs = loadConfigsOrReport(app, failed, configOptions);
    if (!configs) return { status: 1, published: [] };
    provideHelm(app, configs);
    const files = writePlatformsOrReport(app, staging, configs, failed);
    if (!files) return { status: 1, published: [] };
    saveCodeCache();
    faultPoint('after-synth');
    if (check) {
      const stale = staleFiles(staging, distDir, files, app.GENERATED_PREFIX);
      if (stale.length === 0) return { status: 0, published: [] };
      console.error(`${stale.join('\n')}\n${shown(distDir)} is not what synth writes from the configs now: run synth and commit ${shown(distDir)}`);
      return { status: 1, published: [] };
    }
    const refusals = [
      ...app.checkGuardRails(configs, staging, distDir, allowDestructive),
      ...app.removedPlatformRefusals(configs, distDir, allowDestructive, shown(distDir)),
      ...app.backupRepoRefusals(staging, distDir, allowDestructive, shown(distDir)),
    ];
    if (refusals.length > 0) {
      console.error(refusals.join('\n'));
      console.error(`synth refused a change that loses data or cannot be applied; ${shown(distDir)} left as it was`);
      return { status: 1, published: [] };
    }
    try {
      const published = publish(staging, distDir, files, app.GENERATED_PREFIX);
      return { status: 0, published: published.map((file) => path.join(distDir, file)) };
    } catch (error) {
      console.error(`synth could not publish into ${shown(distDir)}: ${error.message}; every file is as it was`);
      return { status: 1, published: [] };
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

const OPTIONS = ['--allow-destructive', '--examples', '--check', '--help', '-h'];

function main(argv) {
  const unknown = argv.filter((arg) => !OPTIONS.includes(arg));
  if (unknown.length > 0) {
    console.error(`synth: unknown argument ${unknown.join(' ')}; the options are --allow-destructive, --examples, --check and --help`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const examples = argv.includes('--examples');
  const { status, published } = synthesizeAndPublish({
    distDir: examples ? path.join(ROOT, 'examples', 'dist') : distDirFromEnv(),
    configOptions: examples ? { configDir: path.join(ROOT, 'examples', 'config'), displayDir: 'examples/config', explicit: true } : {},
    allowDestructive: argv.includes('--allow-destructive'),
    check: argv.includes('--check'),
  });
  if (status === 0 && argv.includes('--check')) console.error(`${shown(examples ? path.join(ROOT, 'examples', 'dist') : distDirFromEnv())} is what synth writes now`);
  else if (status === 0) console.log(published.map(shown).join('\n'));
  return status;
}

/** The command: its exit code set, a failure that is no config problem said in one line. */
function run(argv) {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    // Not a config problem: a bug or the file system. Say what, without a stack unless asked for one.
    console.error(`synth failed: ${process.env.DEBUG ? error.stack : error.message}`);
    process.exitCode = 1;
  }
}

module.exports = { run, synthesizeAndPublish };

if (require.main === module) run(process.argv.slice(2));
