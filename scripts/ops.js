#!/usr/bin/env node
// `npm run ops -- <platform> <operation> <cluster> [options]`: one KubeBlocks OpsRequest (`npx dify-kubeblocks ops`).
// The command is cli/commands/ops.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('ops', process.argv.slice(2));
