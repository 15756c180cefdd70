#!/usr/bin/env node
// The command-line tool of the package: `npx dify-kubeblocks <command> [...]`. The dispatcher and the commands are
// cli/ (cli/main.ts), run from the command-line tool's bundle, which scripts/build.js loads (and, in a checkout,
// builds when a source of it changed).
'use strict';

require('../scripts/build').runTool(process.argv.slice(2));
