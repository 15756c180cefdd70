#!/usr/bin/env node
// `npm run import-values -- <values.yaml>`: a platform config from a community chart's values file.
// The command is cli/commands/import-values.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('import-values', process.argv.slice(2));
