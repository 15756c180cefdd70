/** `npm run plan`: what synth would create, change and delete against dist/, field by field. Nothing is written. */
import * as fs from 'fs';
import * as path from 'path';
import { PlatformConfig } from '../config/load-configs';
import { planChanges, PlannedChange, withMove } from '../guard-rails';
import { describeChange, onlyLabels } from '../guard-rails/field-diff';
import { objectsOf, publishedObjects } from './platform-yaml';
import { checkGuardRails, folderObjects } from './refusals';

/** What `npm run plan` finds for one platform. */
export interface PlatformPlan {
  readonly file: string;
  readonly source: string;
  /** No file of this app's in dist/ yet. */
  readonly newPlatform: boolean;
  readonly changes: readonly PlannedChange[];
  /** The guard rails' refusals, as synth would print them. */
  readonly refusals: readonly string[];
}

/**
 * For each platform, what its new file would create, change (field by field) and delete against its file in
 * `distDir`, and the guard rails' refusals.
 */
export function planReport(configs: readonly PlatformConfig[], stagingDir: string, distDir: string): PlatformPlan[] {
  const [before, after] = [folderObjects(distDir), folderObjects(stagingDir)];
  return configs.map((config) => {
    const file = `${config.name}.k8s.yaml`;
    const previous = publishedObjects(path.join(distDir, file));
    return {
      file, source: config.source, newPlatform: previous === undefined,
      changes: planChanges(previous ?? [], objectsOf(fs.readFileSync(path.join(stagingDir, file), 'utf8'))).map((change) => withMove(change, file, before, after)),
      refusals: checkGuardRails([config], stagingDir, distDir, false),
    };
  });
}

/**
 * The plan as lines: per platform a count, then each object (`+` create, `~` change with its fields, `-` delete,
 * `>` moves between two files of the folder and stays in the cluster), data-holding ones marked; objects whose only change is a label are one line together; refusals last (`!`).
 */
export function planPlatforms(configs: readonly PlatformConfig[], stagingDir: string, distDir: string): string[] {
  return planReport(configs, stagingDir, distDir).flatMap(planLines);
}

function planLines(plan: PlatformPlan): string[] {
  const marks = { create: '+', change: '~', delete: '-' } as const;
  const moved = (c: PlannedChange) => c.movedFrom !== undefined || c.movedTo !== undefined;
  const count = (test: (c: PlannedChange) => boolean) => plan.changes.filter(test).length;
  const [movingIn, movingOut] = [count((c) => c.movedFrom !== undefined), count((c) => c.movedTo !== undefined)];
  const counts = [
    ...(['create', 'change', 'delete'] as const).map((action) => `${count((c) => c.action === action && !moved(c))} to ${action}`),
    ...(movingIn > 0 ? [`${movingIn} moving in from another file`] : []),
    ...(movingOut > 0 ? [`${movingOut} moving out to another file`] : []),
  ];
  const labelOnly = plan.changes.filter((c) => c.action === 'change' && !c.risky && onlyLabels(c.fields ?? []));
  const shown = plan.changes.filter((c) => !labelOnly.includes(c));
  const labelChanges = [...new Set(labelOnly.flatMap((c) => (c.fields ?? []).map(describeChange)))];
  return [
    `${plan.file} (${plan.source}): ${counts.join(', ')}${plan.newPlatform ? ' (new platform)' : ''}`,
    ...shown.flatMap((c) => [
      moved(c) ? `  > ${c.object}   ${c.movedFrom ? `moves here from ${c.movedFrom}` : `moves to ${c.movedTo}`}, and stays in the cluster`
        : `  ${marks[c.action]} ${c.object}${c.risky ? '   <- holds data' : ''}`,
      ...(c.fields ?? []).map((field) => `      ${describeChange(field)}`),
    ]),
    ...(labelOnly.length > 0 ? [`  ~ ${labelOnly.length} more object${labelOnly.length === 1 ? '' : 's'} change only labels: ${labelChanges.join('; ')}`] : []),
    ...plan.refusals.map((line) => `  ! refused by a guard rail: ${line}`),
  ];
}
