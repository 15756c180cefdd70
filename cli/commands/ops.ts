/**
 * `npm run ops -- <platform> <operation> <cluster> [options]`: prints (or with --out FILE writes) one KubeBlocks
 * OpsRequest for a platform's database, in its release line's API, every name from the platform's config.
 * Operations: restart, stop, start, vscale (--cpu, --memory), hscale (--replicas), volume-expand (--storage),
 * switchover (--candidate, and --from on KubeBlocks 1.0), upgrade (--version), backup (--method), restore (--backup).
 * Apply what it prints with `kubectl create -f -` (OpsRequests use generateName). stdout holds the object and
 * nothing else; notes go to stderr. Where the operation is no OpsRequest (a PostgreSQL restore, any restore on 0.9)
 * stdout stays empty, stderr says what to do instead, and the exit is 1: the object asked for was not made, so
 * `&&`, `set -o pipefail` and --out stop there instead of handing kubectl nothing (or, before, prose).
 */
import * as fs from 'fs';
import { asError } from '../errors';
import { Library, library } from '../library';

type OpsOptions = Parameters<Library['opsRequest']>[3];

const VALUE_OPTIONS = ['cpu', 'memory', 'replicas', 'storage', 'candidate', 'from', 'version', 'method', 'backup', 'out'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

/** The positional arguments and the options; a refused option is an Error of one line. */
export function parseArgs(argv: readonly string[]): { positional: string[]; options: OpsOptions & { out?: string } } {
  const positional: string[] = [];
  const options: Record<string, string | number> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z]+)$/.exec(argv[i]);
    if (!match) { positional.push(argv[i]); continue; }
    const name = match[1] as ValueOption;
    if (!VALUE_OPTIONS.includes(name)) throw new Error(`${argv[i]}: unknown option; the options are ${VALUE_OPTIONS.map((o) => `--${o}`).join(', ')}`);
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]}: missing its value`);
    options[name] = name === 'replicas' ? Number(argv[++i]) : argv[++i];
  }
  return { positional, options: options as OpsOptions & { out?: string } };
}

const HELP = `usage: npx dify-kubeblocks ops <platform> <operation> <cluster> [options]
       (in this repository: npm run ops -- ...)

Prints one KubeBlocks OpsRequest for a database of a platform, in its release line's API; apply it with
kubectl create -f - (OpsRequests use generateName). <platform> is a config file's name without .yaml
(config/dify.yaml is platform dify); <cluster> is postgresql, redis or qdrant.

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

const GITOPS_NOTE = 'note: under Argo CD with selfHeal, or Flux, change the config first (synth, commit dist/): the sync then makes this change '
  + 'itself, while an OpsRequest alone is undone by the next sync (docs/day-2-operations.md, "Operations under GitOps")';

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const { positional, options } = parseArgs(argv);
  if (positional.length !== 3) throw new Error('usage: npx dify-kubeblocks ops <platform> <operation> <cluster> [options]');
  const [platform, operation, cluster] = positional;
  const app = library();
  const configs = app.loadConfigs({});
  const config = configs.find((candidate) => candidate.name === platform);
  if (!config) {
    // A platform is named by its config file (init makes config/dify.yaml, platform dify): list the ones there are.
    const names = configs.map((candidate) => `${candidate.name} (${candidate.source})`).join(', ');
    throw new Error(`platform: "${platform}" is not allowed: must be the name of a config file, without .yaml: ${names}`);
  }
  if (options.out) checkOut(options.out);
  const result = app.opsRequest(config.props, operation, cluster, options);
  if (result.instead) {
    console.error(`ops: no OpsRequest: ${result.instead}`);
    return 1;
  }
  if (result.object) {
    // Loaded here, not with the tool: only this command and import-values write YAML themselves.
    const { dump } = require('js-yaml') as typeof import('js-yaml');
    const yaml = dump(result.object, { lineWidth: -1, noRefs: true, quoteStyle: 'double' });
    if (options.out) fs.writeFileSync(options.out, yaml);
    else process.stdout.write(yaml);
  }
  if (result.configChange) console.error(`note: ${app.configChangeLine(result.configChange, config.source)}`);
  // The OpsRequest writes its change into the Cluster's spec: a GitOps tool that syncs on its own puts dist/'s back.
  if (result.configChange?.revertedBySync) console.error(GITOPS_NOTE);
  return 0;
}

/** --out may name a new file or one holding an earlier OpsRequest: never a config or any other file of the user's. */
function checkOut(file: string): void {
  if (!fs.existsSync(file)) return;
  const holdsOpsRequest = fs.statSync(file).isFile() && /^kind: "?OpsRequest"?$/m.test(fs.readFileSync(file, 'utf8'));
  if (!holdsOpsRequest) {
    throw new Error(`--out: "${file}" is not allowed: it exists and holds no OpsRequest; name a new file (a config or another file of yours is never overwritten)`);
  }
}

export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (thrown) {
    // Refused arguments and configs are one line each; anything else is a bug, with its stack under DEBUG.
    const error = asError(thrown);
    console.error(error.name === 'ConfigError' || error.name === 'OpsError' || !process.env.DEBUG ? `ops: ${error.message}` : error.stack);
    process.exitCode = 2;
  }
}
