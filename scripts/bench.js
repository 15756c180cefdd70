#!/usr/bin/env node
// Prints how fast the edit-synth-review loop is on this machine, each figure beside the anchor it is judged by and
// the target issue 7 sets. Figures only: nothing is asserted (timings vary with the machine); medians of runs that
// are interleaved with their anchor's, so both see the same machine.
//
//   npm run bench                    every figure (a few minutes: npm test and a fresh clone are among them)
//   npm run bench -- --runs 9        more runs of the fast figures (default 7)
//   npm run bench -- --quick         skip npm test and the fresh clone
//   npm run bench -- --help          this text
//
// It works in a throwaway copy of the project (sharing node_modules), so the "change to lib/" runs never touch
// your working tree. The anchor's helm comes from scripts/tools.js (pinned); synth finds or unpacks its own. The
// anchor's chart and the chart-tier figures use the community charts of the third-party folder beside the checkout
// (scripts/third-party.js); without it those figures are skipped, and said to be.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const tar = require('tar');
const { toolPath } = require('./tools');
const { thirdPartyDir } = require('./third-party');

const ROOT = path.resolve(__dirname, '..');
const flag = (name) => process.argv.includes(name);
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 7;
const SLOW_RUNS = 3;
const ENV = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
delete ENV.INIT_CWD;

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bench-${prefix}-`));
}

/** Runs a command to completion; returns its wall time in seconds and its stderr. */
function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { encoding: 'utf8', ...options, env: { ...ENV, ...options.env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return { seconds, stderr: run.stderr };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function line(label, seconds, extra = '') {
  const runs = Array.isArray(seconds) ? seconds : [seconds];
  const spread = runs.length > 1 ? ` (${runs.length} runs, ${Math.min(...runs).toFixed(3)}-${Math.max(...runs).toFixed(3)})` : ' (1 run)';
  console.log(`  ${label.padEnd(52)} ${median(runs).toFixed(3)} s${spread}${extra}`);
}

function verdict(value, limit) {
  return value <= limit ? 'within' : 'OVER';
}

/** A folder for a copy of the project, with nothing beside it, as a user's clone. */
function projectFolder(prefix) {
  return path.join(tempDir(prefix), 'project');
}

/** The project's own files in a temporary folder, with node_modules shared, built once. */
function projectCopy() {
  const copy = projectFolder('project');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const file of files.split('\0').filter((name) => name && fs.existsSync(path.join(ROOT, name)))) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  timed(process.execPath, ['scripts/build.js'], { cwd: copy });
  return copy;
}

/** The folder of the community chart packages and their lock, or undefined where there is none. */
function communityCharts() {
  const third = thirdPartyDir();
  return third && fs.existsSync(path.join(third, 'charts', 'charts.lock')) ? path.join(third, 'charts') : undefined;
}

/** The douban chart 0.9.1, unpacked, without its Bitnami dependencies (helm refuses to render with them missing). */
function helmChart(chartsDir) {
  const work = tempDir('chart');
  tar.x({ file: path.join(chartsDir, 'douban.github.io_charts', 'dify-0.9.1.tgz'), cwd: work, sync: true });
  const chart = path.join(work, 'dify');
  const manifest = path.join(chart, 'Chart.yaml');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/\ndependencies:[\s\S]*$/, '\n'));
  fs.rmSync(path.join(chart, 'Chart.lock'), { force: true });
  return chart;
}

/** Config folders of `count` platforms, each in its own namespace. */
function platforms(count) {
  const dir = tempDir(`configs-${count}`);
  for (let i = 1; i <= count; i++) fs.writeFileSync(path.join(dir, `p${i}.yaml`), `namespace: team-${i}\n`);
  return dir;
}

function peakMiB(stderr) {
  return Number(/peak-rss-kib (\d+)/.exec(stderr)[1]) / 1024;
}

/**
 * synth as a user runs it: the package packed, installed from its tarball into an empty folder (its dependencies
 * from the registry), a project made by `init`, then `npx dify-kubeblocks synth` after a config change, beside the
 * same in this checkout.
 */
function installedPackage(checkoutMedian) {
  const packDir = tempDir('pack');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', env: ENV }))[0];
  const tarball = path.join(packDir, packed.filename);
  const start = tempDir('installed');
  timed('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball], { cwd: start });
  timed('npx', ['dify-kubeblocks', 'init', 'app', '--package', tarball], { cwd: start });
  const app = path.join(start, 'app');
  const install = timed('npm', ['install', '--no-audit', '--no-fund', '--silent'], { cwd: app }).seconds;
  const config = path.join(app, 'config', 'dify.yaml');
  const runs = Array.from({ length: RUNS }, (_, i) => {
    fs.appendFileSync(config, `# bench run ${i}\n`);
    return timed(path.join(app, 'node_modules', '.bin', 'dify-kubeblocks'), ['synth'], { cwd: app }).seconds;
  });
  console.log(`the installed package (${(packed.size / 1024).toFixed(0)} KiB packed, ${packed.entryCount} files; npm install of a new project ${install.toFixed(1)} s):`);
  line('synth after a config change, installed', runs, ` = ${(median(runs) / checkoutMedian).toFixed(2)}x one platform in this checkout`);
}

function main() {
  if (flag('--help') || flag('-h')) {
    console.log('usage: npm run bench [-- --runs N] [-- --quick]\n\nPrints how fast synth, the chart tier, npm test and a fresh clone are on this machine, beside their anchors\nand targets. Nothing is asserted. --runs: runs of the fast figures (default 7); --quick: skip npm test and the clone.');
    return;
  }
  const unknown = process.argv.slice(2).filter((arg, i, all) => !['--runs', '--quick'].includes(arg) && all[i - 1] !== '--runs');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; see npm run bench -- --help`);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()}`);
  const copy = projectCopy();
  const helm = toolPath('helm');
  const chartsDir = communityCharts();
  if (!chartsDir) console.log('(no third-party charts beside the checkout: the helm anchor and the chart-tier figures are skipped)');
  const chart = chartsDir && helmChart(chartsDir);
  const distOf = (name) => path.join(tempDir(name), 'dist');

  // Anchors and subjects alternate run by run.
  const helmRuns = [];
  const configOnly = [];
  const libChange = [];
  const configFile = path.join(copy, 'config', 'default.yaml');
  const libFile = path.join(copy, 'lib', 'dify', 'features.ts');
  for (let i = 0; i < RUNS; i++) {
    if (chart) helmRuns.push(timed(helm, ['template', 'dify', chart]).seconds);
    fs.appendFileSync(configFile, `# bench run ${i}\n`);
    configOnly.push(timed('npm', ['run', '--silent', 'synth'], { cwd: copy }).seconds);
    fs.appendFileSync(libFile, `// bench run ${i}\n`);
    libChange.push(timed('npm', ['run', '--silent', 'synth'], { cwd: copy }).seconds);
  }
  console.log('npm run synth (every shipped platform, into dist/ of the copy):');
  const against = chart ? (() => {
    const helmMedian = median(helmRuns);
    line('helm template, douban chart 0.9.1 (anchor)', helmRuns);
    return ` = ${(median(configOnly) / helmMedian).toFixed(1)}x helm template; target 1.5 s and 12x: ${verdict(median(configOnly), 1.5)}, ${verdict(median(configOnly) / helmMedian, 12)}`;
  })() : `; target 1.5 s: ${verdict(median(configOnly), 1.5)}`;
  line('after a change to config files only', configOnly, against);
  line('after a change to lib/ (rebuilds the bundle)', libChange, `; target 4 s: ${verdict(median(libChange), 4)}`);

  const one = platforms(1);
  const fifty = platforms(50);
  const floorRuns = [];
  const oneRuns = [];
  const fiftyRuns = [];
  const fiftyPeaks = [];
  const synth = (configDir) => timed(process.execPath, ['--require', path.join(__dirname, 'bench', 'report-peak-memory.js'), 'scripts/synth.js'],
    { cwd: copy, env: { DIFY_CONFIG_DIR: configDir, DIST_DIR: distOf('dist'), ...(chartsDir ? { DIFY_CHARTS_DIR: chartsDir } : {}) } });
  for (let i = 0; i < RUNS; i++) {
    floorRuns.push(timed(process.execPath, [path.join(__dirname, 'bench', 'floor-app.js'), tempDir('floor')], { cwd: ROOT }).seconds);
    oneRuns.push(synth(one).seconds);
    const run = synth(fifty);
    fiftyRuns.push(run.seconds);
    fiftyPeaks.push(peakMiB(run.stderr));
  }
  const oneMedian = median(oneRuns);
  console.log('the synthesizing process (node scripts/synth.js: load, synth, publish):');
  line('one-Deployment cdk8s-plus app (anchor)', floorRuns);
  line('one platform', oneRuns, ` = ${(oneMedian / median(floorRuns)).toFixed(2)}x the floor app; target 1.5x: ${verdict(oneMedian / median(floorRuns), 1.5)}`);
  line('50 platforms', fiftyRuns, ` = ${(median(fiftyRuns) / oneMedian).toFixed(2)}x one platform; target 3x: ${verdict(median(fiftyRuns) / oneMedian, 3)}`);
  console.log(`  ${'50 platforms, peak memory'.padEnd(52)} ${median(fiftyPeaks).toFixed(0)} MiB (max ${Math.max(...fiftyPeaks).toFixed(0)}); target 400 MiB: ${verdict(Math.max(...fiftyPeaks), 400)}`);

  // A platform whose app tier is a chart (douban 0.9.1; BorisPolonsky's 0.38.0-rc2, whose output is also laid out):
  // rendered by helm, or found in the render cache.
  const charts = !chartsDir ? [] : [
    ['douban 0.9.1', 'dify: { version: 1.13.3, chart: { repo: "https://douban.github.io/charts/", name: dify, version: 0.9.1 } }\n'],
    ['boris 0.38.0-rc2', 'dify: { version: 1.16.1, chart: { repo: "https://borispolonsky.github.io/dify-helm", name: dify, version: 0.38.0-rc2 } }\n'],
  ];
  const renderCache = path.join(ROOT, 'node_modules', '.cache', 'dify-kubeblocks', 'helm-renders');
  for (const [name, config] of charts) {
    const chartPlatform = tempDir('chart-platform');
    fs.writeFileSync(path.join(chartPlatform, 'chart.yaml'), config);
    const rendered = [];
    const cached = [];
    for (let i = 0; i < RUNS; i++) {
      fs.rmSync(renderCache, { recursive: true, force: true });
      rendered.push(synth(chartPlatform).seconds);
      cached.push(synth(chartPlatform).seconds);
    }
    line(`chart tier (${name}), rendered by helm`, rendered, ` = ${(median(rendered) / oneMedian).toFixed(2)}x a native one`);
    line('the same, its render found in the cache', cached, ` = ${(median(cached) / oneMedian).toFixed(2)}x a native one`);
  }

  const bigEnv = tempDir('big-env');
  fs.writeFileSync(path.join(bigEnv, 'big.yaml'), `dify:\n  backendEnv:\n${Array.from({ length: 10000 }, (_, i) => `    - { name: EXTRA_${i}, value: "${i}" }`).join('\n')}\n`);
  line('one platform with 10,000 backendEnv entries', Array.from({ length: 3 }, () => synth(bigEnv).seconds));

  if (flag('--quick')) return;
  installedPackage(oneMedian);
  console.log('the slow loop:');
  const npmTestRuns = Array.from({ length: SLOW_RUNS }, () => timed('npm', ['test', '--silent'], { cwd: ROOT, env: { CI: 'true' } }).seconds);
  line('npm test', npmTestRuns, `; target 45 s: ${verdict(median(npmTestRuns), 45)}`);
  const fresh = Array.from({ length: SLOW_RUNS }, () => {
    const clone = projectFolder('clone');
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    // As on a fresh machine: no helm given, so synth unpacks the pinned one into the clone's node_modules.
    return timed('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: clone }).seconds
      + timed('npm', ['run', '--silent', 'synth'], { cwd: clone, env: { DIFY_HELM: '' } }).seconds;
  });
  line('fresh clone: npm ci && npm run synth', fresh, `; target 45 s: ${verdict(median(fresh), 45)} (npm's cache on this machine is warm)`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${process.env.DEBUG ? error.stack : error.message}`);
  process.exitCode = 1;
}
