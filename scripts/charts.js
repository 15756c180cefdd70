#!/usr/bin/env node
// `npm run charts`: lock a community chart's package in vendor/charts, or verify the locked ones.
// The command is cli/commands/charts.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('charts', process.argv.slice(2));
