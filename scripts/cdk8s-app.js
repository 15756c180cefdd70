#!/usr/bin/env node
// The app command of cdk8s.yaml: `cdk8s synth` runs the pipeline of `npm run synth` (guard rails, all files or none
// into dist/), then the published platform files are copied into the CLI's output folder for it to list.
// The command is cli/commands/cdk8s-app.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('cdk8s-app', process.argv.slice(2));
