/** `npm run plan`: what synth would create, change and delete against dist/, field by field. Nothing is written. */
import * as fs from 'fs';
import * as path from 'path';
import { PlatformConfig } from '../config/load-configs';
import { planChanges, PlannedChange, withMove } from '../guard-rails';
import { changeLines, countsOf } from './plan-lines';
import { objectsOf, publishedObjects } from './platform-yaml';
import { checkGuardRails, folderObjects, guardRailOverrides } from './refusals';

/** What `npm run plan` finds for one platform file. */
export interface PlatformPlan {
  readonly file: string;
  /** The config that writes it; for a removed platform, `no config writes it any more`. */
  readonly source: string;
  /** No file of this app's in dist/ yet. */
  readonly newPlatform: boolean;
  /** A platform file of this app's in dist/ that no config writes: synth deletes it, and a prune its objects. */
  readonly removed?: boolean;
  readonly changes: readonly PlannedChange[];
  /** The guard rails' refusals, as synth would print them. */
  readonly refusals: readonly string[];
  /** The rails an override lets through (`allowDestructive`, `--allow-destructive`): which, by whom, and what it allows. */
  readonly overrides: readonly string[];
}

/**
 * For each platform, what its new file would create, change (field by field) and delete against its file in
 * `distDir`, the guard rails' refusals and what the overrides let through; then each platform file of dist/ that no
 * config writes any more, which synth deletes. `allowAll` is `--allow-destructive`.
 */
export function planReport(configs: readonly PlatformConfig[], stagingDir: string, distDir: string, allowAll = false): PlatformPlan[] {
  const [before, after] = [folderObjects(distDir), folderObjects(stagingDir)];
  const written = configs.map((config) => {
    const file = `${config.name}.k8s.yaml`;
    const previous = publishedObjects(path.join(distDir, file));
    return {
      file, source: config.source, newPlatform: previous === undefined,
      changes: planChanges(previous ?? [], objectsOf(fs.readFileSync(path.join(stagingDir, file), 'utf8'))).map((change) => withMove(change, file, before, after)),
      refusals: checkGuardRails([config], stagingDir, distDir, allowAll),
      overrides: guardRailOverrides([config], stagingDir, distDir, allowAll),
    };
  });
  const files = new Set(written.map((plan) => plan.file));
  const removedFiles = [...new Set([...before.values()].map(({ file }) => file))].filter((file) => !files.has(file)).sort();
  const removed = removedFiles.map((file) => ({
    file, source: 'no config writes it any more', newPlatform: false, removed: true,
    changes: planChanges(publishedObjects(path.join(distDir, file), 'skip') ?? [], []).map((change) => withMove(change, file, before, after)),
    refusals: [], overrides: [],
  }));
  return [...written, ...removed];
}

/** The plan as lines: per platform file its counts and changes ({@link changeLines}), its refusals (`!`) and overrides. */
export function planPlatforms(configs: readonly PlatformConfig[], stagingDir: string, distDir: string, allowAll = false): string[] {
  return planReport(configs, stagingDir, distDir, allowAll).flatMap(planLines);
}

function planLines(plan: PlatformPlan): string[] {
  return [
    `${plan.file} (${plan.source}): ${plan.removed ? 'synth deletes the file; ' : ''}${countsOf(plan.changes, plan.removed ? 'to delete (with prune)' : 'to delete')}`
      + `${plan.newPlatform ? ' (new platform)' : ''}`,
    ...changeLines(plan.changes),
    ...plan.refusals.map((line) => `  ! refused by a guard rail: ${line}`),
    ...plan.overrides.map((line) => `  ! guard rail ${line}`),
  ];
}
