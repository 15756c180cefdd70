#!/usr/bin/env node
// `npm run synth`: builds the app if a source changed (scripts/build.js), synthesizes every platform into a staging
// folder beside dist/ in this process, then publishes file by file.
//
// Guarantees, whatever happens to the process (a refused config, Ctrl-C, a kill -9 at any point):
// - dist/ always exists, and each file in it is either its old content or its new content, complete: every file is
//   moved in with one rename(2) from the staging folder on the same filesystem, which replaces it atomically;
// - files in dist/ that this app did not write (a kustomization.yaml, notes) are never touched; only stale
//   `*.k8s.yaml` files that carry this app's header are removed (a platform whose config was deleted);
// - a refused config publishes nothing;
// - staging folders of runs that were killed are removed by the next run;
// - no child process: the app runs in this process, so an interrupted synth leaves nothing running.
//
// Before publishing, the guard rails (lib/guard-rails) compare each platform's file in dist/ with its replacement and
// refuse changes that lose data or cannot be applied; `npm run synth -- --allow-destructive` lets them through once.
//
// Environment: DIFY_CONFIG_DIR (config folder, relative to where you run npm), DIST_DIR (default dist/).
// DIFY_SYNTH_FAULT=<step> kills the process with SIGKILL at that step: the tests use it to prove the guarantees.
'use strict';

const fs = require('fs');
const path = require('path');
const { build, distDirFromEnv, loadApp, loadConfigsOrReport, provideHelm, writePlatformsOrReport } = require('./build');

const STAGING_PREFIX = '.synth-';


/** Fault injection for the tests: die here, as `kill -9` would. */
function faultPoint(step) {
  if (process.env.DIFY_SYNTH_FAULT === step) process.kill(process.pid, 'SIGKILL');
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Staging folders are named `.synth-<pid>-<random>`; those whose process is gone were left by a killed run. */
function removeStaleStaging(parent) {
  for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    const match = /^\.synth-(\d+)-/.exec(entry);
    if (match && Number(match[1]) !== process.pid && !isAlive(Number(match[1]))) {
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
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
 * Moves each new file over its old self, then removes this app's files that no platform writes any more. A file of
 * the same name that the app did not write (a kustomization.yaml of your own) is kept, with a note.
 */
function publish(staging, distDir, files, prefix) {
  fs.mkdirSync(distDir, { recursive: true });
  files.forEach((file, index) => {
    const target = path.join(distDir, file);
    if (!file.endsWith('.k8s.yaml') && fs.existsSync(target) && !isOurs(target, prefix)) {
      console.error(`note: ${file} in ${distDir} is not one synth wrote; left as it is`);
      return;
    }
    fs.renameSync(path.join(staging, file), target);
    if (index === 0) faultPoint('after-first-file');
  });
  faultPoint('before-stale-removal');
  const written = new Set(files);
  for (const file of fs.readdirSync(distDir).sort()) {
    const target = path.join(distDir, file);
    if (file.endsWith('.k8s.yaml') && !written.has(file) && isOurs(target, prefix)) {
      fs.rmSync(target);
    }
  }
}

function main() {
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--allow-destructive');
  if (unknown.length > 0) {
    console.error(`synth: unknown argument ${unknown.join(' ')}; the only one is --allow-destructive (let the guard rails' refusals through once)`);
    return 2;
  }
  const allowDestructive = process.argv.includes('--allow-destructive');
  const distDir = distDirFromEnv();
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), distDir);
  const shownDist = relative && !relative.startsWith('..') ? relative : distDir;
  const parent = path.dirname(distDir);
  fs.mkdirSync(parent, { recursive: true });
  removeStaleStaging(parent);
  const staging = fs.mkdtempSync(path.join(parent, `${STAGING_PREFIX}${process.pid}-`));
  // No signal handlers: synth is synchronous, so a handler would only run after it finished. Killed by any signal,
  // the run leaves dist/ with whole files and this staging folder, which the next run removes.
  const cleanUp = () => fs.rmSync(staging, { recursive: true, force: true });
  try {
    build();
    faultPoint('after-build');
    const { app, saveCodeCache } = loadApp();
    const configs = loadConfigsOrReport(app, `synth failed; ${shownDist} left as it was`);
    if (!configs) return 1;
    provideHelm(app, configs);
    const files = writePlatformsOrReport(app, staging, configs, `synth failed; ${shownDist} left as it was`);
    if (!files) return 1;
    saveCodeCache();
    faultPoint('after-synth');
    const refusals = app.checkGuardRails(configs, staging, distDir, allowDestructive);
    if (refusals.length > 0) {
      console.error(refusals.join('\n'));
      console.error(`synth refused a change that loses data or cannot be applied; ${shownDist} left as it was`);
      return 1;
    }
    publish(staging, distDir, files, app.GENERATED_PREFIX);
    console.log(files.map((file) => path.join(shownDist, file)).join('\n'));
    return 0;
  } finally {
    cleanUp();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  // Not a config problem: a bug or the file system. Say what, without a stack unless asked for one.
  console.error(`synth failed: ${process.env.DEBUG ? error.stack : error.message}`);
  process.exitCode = 1;
}
