#!/usr/bin/env node
// `npx dify-kubeblocks init [folder]`: a new project of the user's own, holding only their platforms.
// The command is cli/commands/init.ts, run from the command-line tool's bundle (scripts/build.js builds and loads it).
'use strict';

require('./build').runCommand('init', process.argv.slice(2));
