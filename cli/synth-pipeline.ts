/**
 * The pipeline of `npm run synth` and `cdk8s synth`: builds the library if a source changed, synthesizes every
 * platform into a staging folder beside dist/ in this process, checks the guard rails, then publishes all files or
 * none (cli/publish.ts).
 *
 * Guarantees, whatever happens to the process (a refused config, a file that cannot be replaced, Ctrl-C, kill -9):
 * - dist/ always exists, and each file in it is complete: every file is moved in with one rename(2) from the
 *   staging folder on the same filesystem;
 * - all files or none: before the first move, every file it replaces is hard-linked into the staging folder and a
 *   journal is written; a move that fails puts every old file back before synth exits 1. A run killed while moving
 *   leaves its journal, and the next synth (npm run synth or cdk8s synth) puts the old files back first;
 * - files in dist/ that this app did not write (a kustomization.yaml, notes) are never touched; only stale
 *   `*.k8s.yaml` files that carry this app's header are removed (a platform whose config was deleted);
 * - a refused config or guard rail publishes nothing; staging folders of killed runs are removed by the next run;
 * - no child process: the app runs in this process, so an interrupted synth leaves nothing running.
 */
import * as fs from 'fs';
import * as path from 'path';
import { distFolderProblems } from './dist-folder';
import { asError } from './errors';
import { faultPoint } from './faults';
import {
  buildLibrary, ConfigOptions, loadConfigsOrReport, loadLibrary, provideHelm, shown, writePlatformsOrReport,
} from './library';
import { publish, stalePlatformFiles } from './publish';
import { makeStaging, recoverKilledRuns } from './staging';

export interface PipelineOptions {
  readonly distDir: string;
  /** For the library's loadConfigs. @default - the project's config folder, or DIFY_CONFIG_DIR */
  readonly configOptions?: ConfigOptions;
  /** `--allow-destructive`. @default false */
  readonly allowDestructive?: boolean;
  /** `--check`: compare with distDir instead of publishing. @default false */
  readonly check?: boolean;
}

export interface PipelineResult {
  readonly status: number;
  /** The published files' paths. */
  readonly published: readonly string[];
  /** The platform files removed (no config writes them any more), by path, each with the objects a prune then deletes. */
  readonly removed?: readonly RemovedFile[];
}

export interface RemovedFile {
  readonly file: string;
  /** `Kind/namespace/name` of each object of the file that no other file of the folder holds now. */
  readonly objects: readonly string[];
}

/**
 * `--check`: what synth would write (in `staging`) against what `distDir` holds; one line per file that differs, is
 * missing, or is a platform file of this app's that no config writes any more. Reads only.
 */
function staleFiles(staging: string, distDir: string, files: readonly string[], prefix: string): string[] {
  const lines: string[] = [];
  for (const file of files) {
    const published = path.join(distDir, file);
    if (!fs.existsSync(published)) lines.push(`${shown(published)}: missing`);
    else if (!fs.readFileSync(published).equals(fs.readFileSync(path.join(staging, file)))) lines.push(`${shown(published)}: not what synth writes now`);
  }
  const written = new Set(files);
  const leftOver = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((file) => file.endsWith('.k8s.yaml') && !written.has(file)
    && fs.statSync(path.join(distDir, file)).isFile() && fs.readFileSync(path.join(distDir, file), 'utf8').startsWith(prefix)) : [];
  for (const file of leftOver.sort()) lines.push(`${shown(path.join(distDir, file))}: no config writes this platform any more`);
  return lines;
}

const NOTHING: PipelineResult = { status: 1, published: [] };

/** The whole pipeline; returns the exit code and the published files' paths. */
export function synthesizeAndPublish({ distDir, configOptions = {}, allowDestructive = false, check = false }: PipelineOptions): PipelineResult {
  const failed = `synth failed; ${shown(distDir)} left as it was`;
  buildLibrary();
  faultPoint('after-build');
  const { app, saveCodeCache } = loadLibrary();
  // Before anything is written beside it (the staging folder) or read from it.
  const problem = app.outputDirProblem(distDir, app.configDirOf(configOptions), shown) ?? distFolderProblems(distDir, shown(distDir))[0];
  if (problem) {
    console.error(`${problem}\n${failed}`);
    return NOTHING;
  }
  const parent = path.dirname(distDir);
  fs.mkdirSync(parent, { recursive: true });
  for (const dir of recoverKilledRuns(parent)) console.error(`note: a synth killed while publishing into ${shown(dir)} was undone: its old files are back`);
  const staging = makeStaging(parent);
  // No signal handlers: synth is synchronous, so a handler would only run after it finished. Killed by any signal,
  // the run leaves dist/ whole or its journal, and this staging folder, which the next run clears.
  try {
    const configs = loadConfigsOrReport(app, failed, configOptions);
    if (!configs) return NOTHING;
    provideHelm(app, configs);
    const files = writePlatformsOrReport(app, staging, configs, failed);
    if (!files) return NOTHING;
    saveCodeCache();
    faultPoint('after-synth');
    if (check) {
      const stale = staleFiles(staging, distDir, files, app.GENERATED_PREFIX);
      if (stale.length === 0) return { status: 0, published: [] };
      console.error(`${stale.join('\n')}\n${shown(distDir)} is not what synth writes from the configs now: run synth and commit ${shown(distDir)}`);
      return NOTHING;
    }
    const refusals = [
      ...app.checkGuardRails(configs, staging, distDir, allowDestructive),
      ...app.removedPlatformRefusals(configs, distDir, allowDestructive, shown(distDir)),
      ...app.backupRepoRefusals(staging, distDir, allowDestructive, shown(distDir)),
    ];
    if (refusals.length > 0) {
      console.error(refusals.join('\n'));
      console.error(`synth refused a change that loses data or cannot be applied; ${shown(distDir)} left as it was`);
      return NOTHING;
    }
    // Read before publishing removes them: what each deleted platform file held that no file of the folder keeps.
    const stale = stalePlatformFiles(distDir, files, app.GENERATED_PREFIX);
    const [kept, held] = stale.length > 0 ? [app.folderObjects(staging), [...app.folderObjects(distDir)]] : [new Map(), []];
    const removed = stale.map((file) => ({
      file: path.join(distDir, file), objects: held.filter(([key, at]) => at.file === file && !kept.has(key)).map(([key]) => key),
    }));
    try {
      const published = publish(staging, distDir, files, app.GENERATED_PREFIX);
      return { status: 0, published: published.map((file) => path.join(distDir, file)), removed };
    } catch (error) {
      console.error(`synth could not publish into ${shown(distDir)}: ${asError(error).message}; every file is as it was`);
      return NOTHING;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
