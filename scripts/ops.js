#!/usr/bin/env node
// `npm run ops -- <platform> <operation> <cluster> [options]`: prints (or with --out FILE writes) one KubeBlocks
// OpsRequest for a platform's database, in its release line's API, every name from the platform's config.
// Operations: restart, stop, start, vscale (--cpu, --memory), hscale (--replicas), volume-expand (--storage),
// switchover (--candidate, and --from on KubeBlocks 1.0), upgrade (--version), backup (--method), restore (--backup).
// Apply what it prints with `kubectl create -f -` (OpsRequests use generateName). stdout holds the object and
// nothing else; notes go to stderr. Where the operation is no OpsRequest (a PostgreSQL restore, any restore on 0.9)
// stdout stays empty, stderr says what to do instead, and the exit is 1: the object asked for was not made, so
// `&&`, `set -o pipefail` and --out stop there instead of handing kubectl nothing (or, before, prose).
'use strict';

const fs = require('fs');
const { build, loadApp } = require('./build');
const { dump } = require('js-yaml');

const VALUE_OPTIONS = ['cpu', 'memory', 'replicas', 'storage', 'candidate', 'from', 'version', 'method', 'backup', 'out'];

function parseArgs(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z]+)$/.exec(argv[i]);
    if (!match) { positional.push(argv[i]); continue; }
    if (!VALUE_OPTIONS.includes(match[1])) throw new Error(`${argv[i]}: unknown option; the options are ${VALUE_OPTIONS.map((o) => `--${o}`).join(', ')}`);
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]}: missing its value`);
    options[match[1]] = match[1] === 'replicas' ? Number(argv[++i]) : argv[++i];
  }
  return { positional, options };
}

const HELP = `usage: npm run ops -- <platform> <operation> <cluster> [options]

Prints one KubeBlocks OpsRequest for a database of a platform (a config of config/), in its release line's API;
apply it with kubectl create -f - (OpsRequests use generateName). <cluster> is postgresql, redis or qdrant.

  restart | stop | start
  vscale         --cpu <quantity> --memory <quantity>
  hscale         --replicas <n>
  volume-expand  --storage <quantity>
  switchover     --candidate <pod> (and --from <pod> on KubeBlocks 1.0)
  upgrade        --version <version>
  backup         --method <backup method>
  restore        --backup <backup name>
  --out FILE     write the OpsRequest to FILE instead of printing it

Exit 0: the OpsRequest is on stdout (or in FILE). Exit 1: this operation is not an OpsRequest here; stdout is empty
and stderr says what to do instead. Exit 2: refused arguments, one line on stderr.`;

function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const { positional, options } = parseArgs(process.argv.slice(2));
  if (positional.length !== 3) throw new Error('usage: npm run ops -- <platform> <operation> <cluster> [options]');
  const [platform, operation, cluster] = positional;
  build();
  const { app } = loadApp();
  const config = app.loadConfigs({}).find((candidate) => candidate.name === platform);
  if (!config) throw new Error(`platform: "${platform}" is not a platform of the config folder`);
  if (options.out) checkOut(options.out);
  const result = app.opsRequest(config.props, operation, cluster, options);
  if (result.instead) {
    console.error(`ops: no OpsRequest: ${result.instead}`);
    return 1;
  }
  if (result.object) {
    const yaml = dump(result.object, { lineWidth: -1, noRefs: true, quoteStyle: 'double' });
    if (options.out) fs.writeFileSync(options.out, yaml);
    else process.stdout.write(yaml);
  }
  if (result.configNote) console.error(`note: ${result.configNote}`);
  return 0;
}

/** --out may name a new file or one holding an earlier OpsRequest: never a config or any other file of the user's. */
function checkOut(file) {
  if (!fs.existsSync(file)) return;
  const holdsOpsRequest = fs.statSync(file).isFile() && /^kind: "?OpsRequest"?$/m.test(fs.readFileSync(file, 'utf8'));
  if (!holdsOpsRequest) {
    throw new Error(`--out: "${file}" is not allowed: it exists and holds no OpsRequest; name a new file (a config or another file of yours is never overwritten)`);
  }
}

try {
  process.exitCode = main();
} catch (error) {
  // Refused arguments and configs are one line each; anything else is a bug, with its stack under DEBUG.
  console.error(error.name === 'ConfigError' || error.name === 'OpsError' || !process.env.DEBUG ? `ops: ${error.message}` : error.stack);
  process.exitCode = 2;
}
