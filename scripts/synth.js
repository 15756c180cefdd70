#!/usr/bin/env node
// `npm run synth`: config/ into dist/, guard rails first, all files or none (`npx dify-kubeblocks synth`).
// The command is cli/commands/synth.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('synth', process.argv.slice(2));
