#!/usr/bin/env node
// `npm run import-values -- <values.yaml> [--chart douban|boris] [--out <file>]`: a platform config from a community
// Dify chart's values file (lib/values-import/import-values.ts, import-boris-values.ts). The config goes to stdout (or --out,
// a new file); each value it does not carry is one line on stderr, saying why. A plaintext secret is never written out.
'use strict';

const fs = require('fs');
const { dump } = require('js-yaml');
const path = require('path');
const { build, loadApp } = require('./build');
const { PACKAGE_ROOT, projectDir } = require('./project-dir');

const HELP = `usage: npm run import-values -- <values.yaml> [--chart douban|boris] [--out <file>]

Writes a platform config (for config/<name>.yaml) from a community Dify chart's values file: douban's dify chart
0.4.x-0.9.x (--chart douban, the default) or BorisPolonsky's dify-helm (--chart boris). Every value the README's
"Coming from the Helm charts" tables map is
carried to its setting; each value that is not is one line on stderr with the reason (a plaintext secret is never
carried: the line names the Secret key to create instead). --out names a new file; an existing one is never replaced.`;

/** The largest values file read: a chart's values are kilobytes; anything larger is not one. */
const MAX_BYTES = 1024 * 1024;

function parseArgs(argv) {
  const options = { chart: 'douban' };
  const rest = [...argv];
  const files = [];
  while (rest.length > 0) {
    const arg = rest.shift();
    if (arg === '--chart' || arg === '--out') {
      if (rest.length === 0) throw new Error(`${arg} needs a value`);
      options[arg.slice(2)] = rest.shift();
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown argument ${arg}; the options are --chart, --out and --help`);
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) throw new Error('name one values file');
  if (!['douban', 'boris'].includes(options.chart)) throw new Error(`--chart: "${options.chart}" is not allowed: douban or boris`);
  return { ...options, file: files[0] };
}

/**
 * The values file, read as config files are (lib/config/yaml-input.ts): a regular UTF-8 file of at most 1 MiB,
 * plain YAML (no unknown tags, at most 100 alias expansions, no prototype keys); anything else is one line.
 */
function readValues(file) {
  build();
  const { app } = loadApp();
  const values = app.parseUserYaml(app.readUserText(file, file, MAX_BYTES, 'a values file'), file);
  if (values === undefined || values === null) return {};
  if (typeof values !== 'object' || Array.isArray(values)) throw new Error(`${file}: not a mapping of values`);
  return values;
}

/** The config folder of the project this is run in; outside any project, the current folder. */
function defaultConfigDir() {
  try {
    return path.join(projectDir(), 'config');
  } catch {
    return process.cwd();
  }
}

/**
 * The config text a values file gives, and the notes on what it does not carry. Its `$schema` line points at the
 * package's JSON Schema from the project's config/ folder (where the file is meant to go).
 */
function importedConfig(values, file, chart, configDir = defaultConfigDir()) {
  build();
  const { app } = loadApp();
  const { config, notes } = app.importChartValues(values, chart);
  const schema = path.relative(configDir, path.join(PACKAGE_ROOT, 'schema', 'platform-config.schema.json')).split(path.sep).join('/');
  const text = `# yaml-language-server: $schema=${schema}\n# Imported from ${path.basename(file)} (${chart} chart) by dify-kubeblocks import-values.\n`
    + dump(config, { lineWidth: -1, noRefs: true });
  return { text, notes };
}

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const options = parseArgs(argv);
  const values = readValues(options.file);
  if (options.out && fs.existsSync(options.out)) throw new Error(`--out: "${options.out}" is not allowed: it exists; name a new file`);
  const { text, notes } = importedConfig(values, options.file, options.chart);
  if (options.out) fs.writeFileSync(options.out, text, { flag: 'wx' });
  else process.stdout.write(text);
  for (const note of notes) console.error(note);
  return 0;
}

/** The command: its exit code set, a refused argument or file said in one line. */
function run(argv) {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    console.error(`import-values: ${process.env.DEBUG ? error.stack : error.message}`);
    process.exitCode = 2;
  }
}

module.exports = { importedConfig, readValues, run };

if (require.main === module) run(process.argv.slice(2));
