/**
 * `npm run plan`: what `npm run synth` would change, without writing anything to dist/. For each platform, the
 * objects its new file would create (+), change (~) and delete (-) against the file in dist/, those that hold data
 * or restart pods marked, the guard rails' refusals (!) and what an override lets through. Exit 0 when synth would
 * publish, 1 when a config or a guard rail would stop it. `--live` compares with the cluster of the current kube
 * context instead of dist/ (cli/live-plan.ts). Environment: as `npm run synth` (DIFY_CONFIG_DIR, DIST_DIR).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { distFolderProblems } from '../dist-folder';
import { described } from '../errors';
import { liveMain } from '../live-plan';
import { interruptedPublishes } from '../staging';
import { distDirFromEnv, Library, library, loadConfigsOrReport, PlatformConfig, provideHelm, writePlatformsOrReport } from '../library';

const HELP = `usage: npx dify-kubeblocks plan [--allow-destructive] [--live] [--output json]   (in this repository: npm run plan -- ...)

Shows what synth would change, writing nothing: for each platform of config/, the objects its new file
would create (+), change (~, each changed field with its old and new value) and delete (-) against its file in
dist/, objects that hold data or restart pods marked, objects that change only labels on one line, platform
files synth deletes (their config is gone), the guard rails' refusals (!) and the rails an override lets through.

  --allow-destructive  preview synth --allow-destructive: every refusal shown as the rail it lets through
  --live               compare with the cluster of the current kube context (KUBECONFIG), not with dist/:
                       each object dry-run applied server-side and diffed field by field with the live one;
                       live objects of the platform's namespaces that it no longer has are "to delete (with prune)"
  --field-manager NAME with --live: the field manager your applies use (default kubectl, as kubectl apply
                       --server-side; a GitOps tool's is in the objects' managedFields), so a removed field shows
  --output json        the same as one JSON document, for CI bots that comment on pull requests

Exit 0 when synth would publish, 1 when a config or a guard rail would stop it; with --live, 0 when the plan was
made (whatever it shows), 1 when a config stops it or the cluster cannot be read (one line).
Environment: as npm run synth (DIFY_CONFIG_DIR, DIST_DIR, DIFY_HELM, DIFY_CHARTS_DIR); with --live, KUBECONFIG
and DIFY_KUBECTL (the kubectl binary; default: kubectl on the PATH, else the pinned one of scripts/tools.js).`;

export interface PlanArgs {
  readonly output: 'text' | 'json';
  readonly allowDestructive: boolean;
  readonly live: boolean;
  readonly fieldManager?: string;
}

/** The options, or a one-line refusal naming the argument. */
export function parseArgs(argv: readonly string[]): PlanArgs | string {
  let output: 'text' | 'json' = 'text';
  let fieldManager: string | undefined;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--output' || arg === '--field-manager') {
      const value = argv[++i];
      if (value === undefined) return `${arg}: missing its value`;
      if (arg === '--field-manager') fieldManager = value;
      else if (value === 'text' || value === 'json') output = value;
      else return `--output: "${value}" is not allowed: text or json`;
    } else if (arg === '--allow-destructive' || arg === '--live') flags.add(arg);
    else return `unknown argument ${arg}; plan takes --allow-destructive, --live, --field-manager NAME, --output text|json and --help`;
  }
  if (fieldManager !== undefined && !flags.has('--live')) return '--field-manager: only with --live';
  return { output, allowDestructive: flags.has('--allow-destructive'), live: flags.has('--live'), ...(fieldManager ? { fieldManager } : {}) };
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`plan: ${args}`);
    return 2;
  }
  const distDir = distDirFromEnv();
  const app = library();
  // A folder synth would refuse is no plan's baseline either.
  const problem = app.outputDirProblem(distDir, app.configDirOf()) ?? distFolderProblems(distDir, distDir)[0];
  if (problem) {
    console.error(problem);
    return 1;
  }
  // A synth killed while publishing left dist/ half old, half new; plan writes nothing, so it does not undo that.
  if (interruptedPublishes(path.dirname(distDir)).some((dir) => path.resolve(dir) === path.resolve(distDir))) {
    console.error(`${distDir}: a synth was killed while publishing into it, so it is half old and half new; run synth, which puts the old files back first, then plan`);
    return 1;
  }
  const configs = loadConfigsOrReport(app);
  if (!configs) return 1;
  provideHelm(app, configs);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'dify-plan-'));
  try {
    if (!writePlatformsOrReport(app, staging, configs)) return 1;
    return args.live ? liveMain(app, configs, staging, distDir, args) : distPlan(app, configs, staging, distDir, args);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The plan against dist/: what synth (with --allow-destructive, when given) would write and delete. */
function distPlan(app: Library, configs: readonly PlatformConfig[], staging: string, distDir: string, args: PlanArgs): number {
  // Refused without the flag; with it, each is a rail the flag lets through.
  const folderRails = [...app.removedPlatformRefusals(configs, distDir, false), ...app.backupRepoRefusals(staging, distDir, false)];
  const [refused, allowed] = args.allowDestructive ? [[], folderRails] : [folderRails, []];
  const removedPlatforms = refused.filter((line) => line.includes('no config writes this platform'));
  const platforms = app.planReport(configs, staging, distDir, args.allowDestructive);
  const stops = refused.length > 0 || platforms.some((plan) => plan.refusals.length > 0);
  if (args.output === 'json') {
    const removedBackupRepos = refused.filter((line) => !removedPlatforms.includes(line));
    console.log(JSON.stringify({ platforms, removedPlatforms, removedBackupRepos, allowedByFlag: allowed }, null, 2));
    return stops ? 1 : 0;
  }
  console.log([
    ...app.planPlatforms(configs, staging, distDir, args.allowDestructive),
    ...refused.map((line) => `  ! refused by a guard rail: ${line}`),
    ...allowed.map((line) => `  ! guard rail allowed by --allow-destructive: ${line}`),
  ].join('\n'));
  return stops ? 1 : 0;
}

export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    console.error(`plan failed: ${described(error)}`);
    process.exitCode = 1;
  }
}
