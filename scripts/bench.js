#!/usr/bin/env node
// Prints how long the project's steps take and how much memory synth needs on this machine. Figures only: nothing
// here is asserted, timings vary with the machine.
//   npm run bench [-- --runs N]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };

function timeCommand(file, args, extraEnv = {}) {
  const started = process.hrtime.bigint();
  execFileSync(file, args, { cwd: ROOT, stdio: 'ignore', env: { ...env, ...extraEnv } });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function summary(seconds) {
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(2)} s, min ${sorted[0].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s (${sorted.length} runs)`;
}

function repeat(n, fn) {
  return Array.from({ length: n }, fn);
}

function sizeOf(dir) {
  let bytes = 0;
  let lines = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    bytes += fs.statSync(file).size;
    if (file.endsWith('.ts')) lines += fs.readFileSync(file, 'utf8').split('\n').length;
  }
  return { bytes, lines };
}

/** Synthesizes every shipped config in this process, to read the memory one synth needs. */
function inProcessSynth() {
  const { App, YamlOutputType } = require('cdk8s');
  const { loadPlatformConfigs } = require(path.join(ROOT, 'build', 'lib', 'config', 'load-configs'));
  const { DifyPlatform } = require(path.join(ROOT, 'build', 'lib', 'dify-platform'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const started = process.hrtime.bigint();
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const config of loadPlatformConfigs(path.join(ROOT, 'config'))) new DifyPlatform(app, config.name, config.props);
  app.synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  return seconds;
}

console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const imports = sizeOf(path.join(ROOT, 'imports'));
console.log(`imports/: ${(imports.bytes / 2 ** 20).toFixed(2)} MiB, ${imports.lines} lines of TypeScript`);
console.log(`compile (tsc): ${summary(repeat(Math.min(RUNS, 3), () => timeCommand(bin('tsc'), ['-p', 'tsconfig.json'])))}`);
console.log(`app alone (node build/main.js): ${summary(repeat(RUNS, () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-app-'));
  const seconds = timeCommand('node', ['build/main.js'], { CDK8S_OUTDIR: outdir });
  fs.rmSync(outdir, { recursive: true, force: true });
  return seconds;
}))}`);
console.log(`synth to dist (cdk8s synth + publish, no compile): ${summary(repeat(RUNS, () => {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-')), 'dist');
  return timeCommand('node', ['scripts/synth.js'], { DIST_DIR: dist });
}))}`);
const inProcess = repeat(RUNS, inProcessSynth);
console.log(`in-process synth of every config: ${summary(inProcess)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
