#!/usr/bin/env node
// The command-line tool of the package: `npx dify-kubeblocks <command> [...]`. Each command is one of scripts/*.js
// (the same ones this repository's npm scripts run); this only picks it, after finding the user's project folder
// (scripts/project-dir.js), so that config/, dist/ and vendor/charts/ are the user's, the code and data the package's.
'use strict';

const path = require('path');

const COMMANDS = {
  init: ['init.js', 'write a new project folder: package.json, cdk8s.yaml, config/, a snapshot test, README', false],
  synth: ['synth.js', 'config/ -> dist/, guard rails first, all files or none (--check: is dist/ current?)', true],
  plan: ['plan.js', 'what synth would create, change and delete, field by field; writes nothing', true],
  ops: ['ops.js', 'one KubeBlocks OpsRequest for a platform\'s database (restart, scale, backup, ...)', true],
  charts: ['charts.js', 'lock a community chart\'s package in vendor/charts (add), or check the locked ones', true],
  'import-values': ['import-values.js', 'a platform config from a douban or BorisPolonsky chart\'s values file', false],
  schema: [undefined, 'print the path of the config files\' JSON Schema (for an editor\'s yaml-language-server)', false],
};

const USAGE = `usage: npx dify-kubeblocks <command> [options]   (each command takes --help)

${Object.entries(COMMANDS).map(([name, [, what]]) => `  ${name.padEnd(14)} ${what}`).join('\n')}
  version        this package's version`;

function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'version' || command === '--version') {
    console.log(require('../package.json').version);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    console.error(`dify-kubeblocks: "${command}" is not a command; the commands are ${[...Object.keys(COMMANDS), 'version'].join(', ')}`);
    return 2;
  }
  const [script, , needsProject] = entry;
  if (!script) {
    console.log(path.join(__dirname, '..', 'schema', 'platform-config.schema.json'));
    return 0;
  }
  if (needsProject && !rest.includes('--help') && !rest.includes('-h')) {
    try {
      require('../scripts/project-dir').projectDir();
    } catch (error) {
      console.error(`dify-kubeblocks ${command}: ${error.message}`);
      return 2;
    }
  }
  // The script reads its arguments from process.argv, as when npm runs it.
  process.argv = [process.argv[0], path.join(__dirname, '..', 'scripts', script), ...rest];
  const loaded = require(`../scripts/${script}`);
  // Scripts that other scripts require run only as the main module: they export run(argv) for this.
  if (typeof loaded.run === 'function') loaded.run(rest);
  return undefined;
}

const status = main(process.argv.slice(2));
if (status !== undefined) process.exitCode = status;
