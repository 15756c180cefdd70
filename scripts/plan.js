#!/usr/bin/env node
// `npm run plan`: what `npm run synth` would change, without writing anything (`npx dify-kubeblocks plan`).
// The command is cli/commands/plan.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('plan', process.argv.slice(2));
