/**
 * `npm run synth` (`npx dify-kubeblocks synth`): config/ into dist/, guard rails first, all files or none
 * (cli/synth-pipeline.ts). `cdk8s synth` runs the same pipeline (cli/commands/cdk8s-app.ts).
 */
import * as path from 'path';
import { described } from '../errors';
import { distDirFromEnv, shown } from '../library';
import { PACKAGE_ROOT } from '../project-dir';
import { RemovedFile, synthesizeAndPublish } from '../synth-pipeline';

const HELP = `usage: npx dify-kubeblocks synth [--allow-destructive] [--check]   (in this repository: npm run synth -- ...)

Synthesizes one file per platform config of config/ into dist/ (<name>.k8s.yaml, and dist/kustomization.yaml
listing them), after the guard rails compared each with the file it replaces. All files are published or none.
config/ and dist/ are your project's: the nearest folder at or above this one with a cdk8s.yaml.

  --allow-destructive  let the guard rails' refusals through, once (a storage shrink, a removed cluster, ...)
  --check              write nothing; exit 1 naming every file of dist/ that is not what synth writes now (the
                       CI gate of a GitOps repository: dist/ must be committed after every config change)
  --examples           this repository only: examples/config/ into examples/dist/
  --help               this text

Environment: DIFY_CONFIG_DIR (the config folder, relative to where you run npm), DIST_DIR (default dist/),
DIFY_HELM (the helm binary for dify.chart; default: helm on the PATH, else the pinned one of scripts/tools.js),
DIFY_CHARTS_DIR (the folder of chart packages and their charts.lock, relative to where you run npm; default
vendor/charts).`;

const OPTIONS = ['--allow-destructive', '--examples', '--check', '--help', '-h'];

function main(argv: readonly string[]): number {
  const unknown = argv.filter((arg) => !OPTIONS.includes(arg));
  if (unknown.length > 0) {
    console.error(`synth: unknown argument ${unknown.join(' ')}; the options are --allow-destructive, --examples, --check and --help`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const examples = argv.includes('--examples');
  const { status, published, removed = [] } = synthesizeAndPublish({
    distDir: examples ? path.join(PACKAGE_ROOT, 'examples', 'dist') : distDirFromEnv(),
    configOptions: examples ? { configDir: path.join(PACKAGE_ROOT, 'examples', 'config'), displayDir: 'examples/config', explicit: true } : {},
    allowDestructive: argv.includes('--allow-destructive'),
    check: argv.includes('--check'),
  });
  if (status === 0 && argv.includes('--check')) console.error(`${shown(examples ? path.join(PACKAGE_ROOT, 'examples', 'dist') : distDirFromEnv())} is what synth writes now`);
  else if (status === 0) console.log([...published.map(shown), ...removed.map(removedLine)].join('\n'));
  return status;
}

/** A deleted platform file, and what a GitOps prune (or `kubectl apply --prune`) deletes with it. */
export function removedLine({ file, objects }: RemovedFile): string {
  const listed = objects.length > 5 ? `${objects.slice(0, 5).join(', ')} and ${objects.length - 5} more` : objects.join(', ');
  return `deleted ${shown(file)} (no config writes it any more)${objects.length > 0 ? `: a prune deletes its ${objects.length} object${objects.length === 1 ? '' : 's'}, ${listed}` : ''}`;
}

/** The command: its exit code set, a failure that is no config problem said in one line. */
export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    // Not a config problem: a bug or the file system. Say what, without a stack unless asked for one.
    console.error(`synth failed: ${described(error)}`);
    process.exitCode = 1;
  }
}
