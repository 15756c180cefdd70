#!/usr/bin/env node
// Builds and loads the two bundles the command-line tool runs, each made by esbuild into one file:
// - build/cli.js, the command-line tool (cli/: argument parsing, publishing, messages), small, with the npm
//   libraries it uses left to node; scripts/*.js and bin/dify-kubeblocks.js load it and run one of its commands;
// - build/main.js, the library (main.ts and everything it uses: lib/, imports/, and the libraries from
//   node_modules), which the commands build and load when they need it, after reading their arguments.
// One file loads several times faster than hundreds of modules, and esbuild only transpiles: type-checking is
// `npm run check` and `npm test`. This loader stays plain JavaScript: it runs before anything is compiled.
//
// Cached: each build is keyed by a hash of its inputs (sources, lockfile, this script). When nothing changed, as
// after a change to config files only, nothing is built. When anything changed, synth never runs stale code.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const url = require('url');
const vm = require('vm');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, 'build');
const OUTFILE = path.join(BUILD_DIR, 'main.js');
const HASH_FILE = path.join(BUILD_DIR, 'main.js.inputs');
// V8's compiled code of the bundle, so that a synth does not parse and compile 2 MB of JavaScript every time.
const CODE_CACHE = path.join(BUILD_DIR, 'main.js.v8-cache');

// The command-line tool's bundle. It holds cli/ only: the library is reached through build/main.js's exports.
const CLI_ENTRY = path.join(ROOT, 'cli', 'main.ts');
const CLI_OUTFILE = path.join(BUILD_DIR, 'cli.js');
const CLI_HASH_FILE = path.join(BUILD_DIR, 'cli.js.inputs');
const CLI_CODE_CACHE = path.join(BUILD_DIR, 'cli.js.v8-cache');

/** The TypeScript files under the given folders of the checkout, sorted. */
function typeScriptFiles(...dirs) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts')) files.push(relative);
    }
  };
  for (const dir of dirs) walk(dir);
  return files.sort();
}

/** Every file whose change must change a build: its TypeScript, the lockfile, the build settings. */
const SETTINGS = ['package-lock.json', 'tsconfig.json', path.join('scripts', 'build.js')];
const inputFiles = () => ['main.ts', ...SETTINGS, ...typeScriptFiles('lib', 'imports')];
// The CLI's bundle leaves the npm libraries to node: of the lockfile, only esbuild's version changes what it holds.
const cliInputFiles = () => ['tsconfig.json', path.join('scripts', 'build.js'), path.join('node_modules', 'esbuild', 'package.json'), ...typeScriptFiles('cli')];

function inputsHash(files = inputFiles()) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether `outfile` was built from exactly the inputs of `hash`. */
function isFresh(outfile, hashFile, hash) {
  return fs.existsSync(outfile) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8') === hash;
}

/** esbuild's settings for both bundles. */
const BUNDLE = {
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
};

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
  if (isFresh(OUTFILE, HASH_FILE, hash)) return false;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const temporary = `${OUTFILE}.${process.pid}.tmp`;
  // Loaded only when a build is needed: a config-only synth does not pay for it.
  require('esbuild').buildSync({ ...BUNDLE, entryPoints: [path.join(ROOT, 'main.ts')], outfile: temporary });
  fs.rmSync(CODE_CACHE, { force: true });
  fs.renameSync(temporary, OUTFILE);
  fs.writeFileSync(HASH_FILE, hash);
  return true;
}

/**
 * Builds build/cli.js unless it is fresh (or the package is installed: it ships it); returns whether it built.
 * The npm libraries the commands use stay outside (node loads them as before), and nothing of lib/ or main.ts may
 * come in: the commands call the library through build/main.js, which they build and load when they need it.
 */
function buildCli() {
  if (!fs.existsSync(CLI_ENTRY)) {
    if (fs.existsSync(CLI_OUTFILE)) return false;
    throw new Error(`${CLI_OUTFILE} is missing and there are no sources to build it from: reinstall the package`);
  }
  const hash = inputsHash(cliInputFiles());
  if (isFresh(CLI_OUTFILE, CLI_HASH_FILE, hash)) return false;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const temporary = `${CLI_OUTFILE}.${process.pid}.tmp`;
  const { metafile } = require('esbuild').buildSync({ ...BUNDLE, entryPoints: [CLI_ENTRY], outfile: temporary, packages: 'external', metafile: true });
  const outside = Object.keys(metafile.inputs).filter((file) => !path.resolve(ROOT, file).startsWith(path.join(ROOT, 'cli') + path.sep));
  if (outside.length > 0) {
    fs.rmSync(temporary, { force: true });
    throw new Error(`cli/ may import only types from the library (it runs it through build/main.js), but it imports ${outside.join(', ')}`);
  }
  fs.rmSync(CLI_CODE_CACHE, { force: true });
  fs.renameSync(temporary, CLI_OUTFILE);
  fs.writeFileSync(CLI_HASH_FILE, hash);
  return true;
}

/**
 * The command-line tool, built if a source of it changed: its commands and its dispatcher (cli/main.ts). Loaded
 * with V8's code cache, as build/main.js is; the cache is written at once (the tool's code is small, and the
 * command may end the process).
 */
function loadCli() {
  buildCli();
  const { exports, saveCodeCache } = loadBundle(CLI_OUTFILE, CLI_CODE_CACHE);
  try {
    saveCodeCache();
  } catch {
    // An installed package's folder may be read-only: the tool then compiles its code every run, as before.
  }
  return exports;
}

/** Runs one command of the command-line tool (`npm run synth` is `synth`): the wrappers in scripts/ call this. */
function runCommand(command, argv) {
  let cli;
  try {
    cli = loadCli();
  } catch (error) {
    console.error(`${command} failed: the command-line tool could not be built: ${process.env.DEBUG ? error.stack : error.message}`);
    process.exitCode = 1;
    return;
  }
  cli.COMMANDS[command].run(argv);
}

/** Runs `npx dify-kubeblocks <command> ...` (bin/dify-kubeblocks.js): the dispatcher picks the command. */
function runTool(argv) {
  let cli;
  try {
    cli = loadCli();
  } catch (error) {
    console.error(`dify-kubeblocks: the command-line tool could not be built: ${process.env.DEBUG ? error.stack : error.message}`);
    process.exitCode = 1;
    return;
  }
  cli.main(argv);
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
  const { exports, saveCodeCache } = loadBundle(OUTFILE, CODE_CACHE);
  return { app: exports, saveCodeCache };
}

/** Loads a bundle with its code cache (see loadApp); registered with node's modules, so `require` finds it too. */
function loadBundle(outfile, codeCache) {
  const source = fs.readFileSync(outfile, 'utf8');
  const cachedData = fs.existsSync(codeCache) ? fs.readFileSync(codeCache) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: outfile, cachedData });
  const bundle = new Module(outfile, module);
  bundle.filename = outfile;
  bundle.paths = Module._nodeModulePaths(BUILD_DIR);
  script.runInThisContext().call(bundle.exports, bundle.exports, (id) => bundle.require(id), bundle, outfile, BUILD_DIR);
  bundle.loaded = true;
  const saveCodeCache = () => {
    if (cachedData === undefined || script.cachedDataRejected) writeAtomically(codeCache, script.createCachedData());
  };
  return { exports: bundle.exports, saveCodeCache };
}

module.exports = { build, buildCli, loadApp, loadCli, OUTFILE, runCommand, runTool };

if (require.main === module) {
  for (const [builder, outfile] of [[buildCli, CLI_OUTFILE], [build, OUTFILE]]) {
    console.error(builder() ? `built ${path.relative(process.cwd(), outfile)}` : `${path.relative(process.cwd(), outfile)} is up to date`);
  }
}
