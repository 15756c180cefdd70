/**
 * `npm run plan`: what `npm run synth` would change, without writing anything to dist/. For each platform, the
 * objects its new file would create (+), change (~) and delete (-) against the file in dist/, those that hold data
 * marked, and the guard rails' refusals (!). Exit 0 when synth would publish, 1 when a config or a guard rail would
 * stop it. Environment: as `npm run synth` (DIFY_CONFIG_DIR, DIST_DIR).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { distFolderProblems } from '../dist-folder';
import { described } from '../errors';
import { interruptedPublishes } from '../staging';
import { distDirFromEnv, library, loadConfigsOrReport, provideHelm, writePlatformsOrReport } from '../library';

const HELP = `usage: npx dify-kubeblocks plan [--output json]   (in this repository: npm run plan -- ...)

Shows what synth would change, writing nothing: for each platform of config/, the objects its new file
would create (+), change (~, each changed field with its old and new value) and delete (-) against its file in
dist/, objects that hold data marked, objects that change only labels on one line, and the guard rails'
refusals (!). --output json prints the same as one JSON document, for CI bots that comment on pull requests.
Exit 0 when synth would publish, 1 when a config or a guard rail would stop it.
Environment: as npm run synth (DIFY_CONFIG_DIR, DIST_DIR, DIFY_HELM, DIFY_CHARTS_DIR).`;

/** `--output text` (the default) or `--output json`; anything else is refused. */
export function outputOf(argv: readonly string[]): 'text' | 'json' | undefined {
  if (argv.length === 0) return 'text';
  if (argv.length === 2 && argv[0] === '--output' && (argv[1] === 'text' || argv[1] === 'json')) return argv[1];
  return undefined;
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const output = outputOf(argv);
  if (!output) {
    console.error(`plan: unknown argument ${argv.join(' ')}; plan takes --output text|json and --help`);
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
    const removed = app.removedPlatformRefusals(configs, distDir, false);
    const lostRepos = app.backupRepoRefusals(staging, distDir, false);
    if (output === 'json') {
      const platforms = app.planReport(configs, staging, distDir);
      console.log(JSON.stringify({ platforms, removedPlatforms: removed, removedBackupRepos: lostRepos }, null, 2));
      return removed.length > 0 || lostRepos.length > 0 || platforms.some((plan) => plan.refusals.length > 0) ? 1 : 0;
    }
    const lines = [...app.planPlatforms(configs, staging, distDir), ...[...removed, ...lostRepos].map((line) => `  ! refused by a guard rail: ${line}`)];
    console.log(lines.join('\n'));
    return lines.some((line) => line.startsWith('  ! ')) ? 1 : 0;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    console.error(`plan failed: ${described(error)}`);
    process.exitCode = 1;
  }
}
