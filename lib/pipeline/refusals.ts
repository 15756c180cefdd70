/**
 * The guard rails applied to a publish: what the new files would do to the ones in dist/ that a GitOps tool applies,
 * refused one line each unless allowed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatProblem, renderValue } from '../config/config-error';
import { PlatformConfig } from '../config/load-configs';
import {
  allowedFindings, DATA_KINDS, FiledObject, guardRailFindings, GuardRuleId, keyOf, lostBackupRepos, ObjectLike, platformState, PlatformState,
} from '../guard-rails';
import { objectsOf, publishedObjects } from './platform-yaml';

/**
 * The guard rails' refusals, one line each, for every platform whose file in `distDir` (written by this app) the
 * file in `stagingDir` would replace. `allowAll` is `--allow-destructive`.
 */
export function checkGuardRails(configs: readonly PlatformConfig[], stagingDir: string, distDir: string, allowAll: boolean): string[] {
  return configs.flatMap((config) => {
    const states = statesOf(config, stagingDir, distDir);
    if (!states) return [];
    const allowed = allowAll ? 'all' : new Set<GuardRuleId>(config.props.allowDestructive ?? []);
    return guardRailFindings(...states, allowed).map((finding) => formatProblem(config.source, finding.setting, finding.value, finding.reason));
  });
}

/** The platform's state in `distDir` and in `stagingDir`, or undefined for a new platform. */
function statesOf(config: PlatformConfig, stagingDir: string, distDir: string): [PlatformState, PlatformState] | undefined {
  const file = `${config.name}.k8s.yaml`;
  const previous = publishedObjects(path.join(distDir, file));
  return previous && [platformState(previous), platformState(objectsOf(fs.readFileSync(path.join(stagingDir, file), 'utf8')))];
}

/**
 * What the overrides let through, one line each: the rule, who allowed it (the config's `allowDestructive`, or
 * `--allow-destructive` when `allowAll`), and the refusal it would otherwise be. A reviewer sees every rail that is
 * down, not only the ones that still stand.
 */
export function guardRailOverrides(configs: readonly PlatformConfig[], stagingDir: string, distDir: string, allowAll: boolean): string[] {
  return configs.flatMap((config) => {
    const states = statesOf(config, stagingDir, distDir);
    if (!states) return [];
    const listed = new Set<GuardRuleId>(config.props.allowDestructive ?? []);
    return allowedFindings(...states, allowAll ? 'all' : listed).map(({ rule, finding }) => `${rule}, allowed by `
      + `${listed.has(rule) ? `allowDestructive in ${config.source}` : '--allow-destructive'}: ${finding.setting}: ${renderValue(finding.value)}: ${finding.reason}`);
  });
}

/** What a removed platform's file holds that a GitOps prune would delete with it: the objects with data, and its namespace. */
function dataHolders(objects: readonly ObjectLike[]): string[] {
  return objects.filter((object) => DATA_KINDS.has(object.kind ?? '') || object.kind === 'Namespace')
    .map((object) => `${object.kind} ${object.metadata?.name}`);
}

/**
 * A platform file in `distDir` that this app wrote and no config writes any more (its config deleted, renamed, or
 * DIFY_CONFIG_DIR naming another folder) would be removed from dist/, and with it, under a GitOps tool's prune, its
 * clusters and namespace. Refused, one line per file, unless `allowAll` (`--allow-destructive`): there is no config
 * left to list it in `allowDestructive`.
 */
export function removedPlatformRefusals(configs: readonly PlatformConfig[], distDir: string, allowAll: boolean, shownDist = distDir): string[] {
  if (allowAll || !fs.existsSync(distDir) || !fs.statSync(distDir).isDirectory()) return [];
  const written = new Set(configs.map((config) => `${config.name}.k8s.yaml`));
  return fs.readdirSync(distDir).sort().filter((file) => file.endsWith('.k8s.yaml') && !written.has(file)).flatMap((file) => {
    const full = path.join(distDir, file);
    if (!fs.statSync(full).isFile()) return [];
    const objects = publishedObjects(full, 'skip');
    const holders = objects ? dataHolders(objects) : [];
    if (holders.length === 0) return [];
    const shownHolders = holders.length > 3 ? `${holders.slice(0, 3).join(', ')} and ${holders.length - 3} more` : holders.join(', ');
    return [`${path.join(shownDist, file)}: no config writes this platform any more (its config was deleted or renamed, or DIFY_CONFIG_DIR names `
      + `another folder), and removing its file would let a GitOps prune delete ${shownHolders}; bring its config back, or remove the `
      + 'platform on purpose with --allow-destructive'];
  });
}

/**
 * Every object of the platform files in `dir` that this app wrote, by {@link keyOf}: what the folder, applied as one
 * unit, puts in the cluster. Without `dir` (no dist/ yet), nothing.
 */
export function folderObjects(dir: string): Map<string, FiledObject> {
  const found = new Map<string, FiledObject>();
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return found;
  for (const file of fs.readdirSync(dir).sort().filter((name) => name.endsWith('.k8s.yaml'))) {
    for (const object of publishedObjects(path.join(dir, file), 'skip') ?? []) found.set(keyOf(object), { file, object });
  }
  return found;
}

/**
 * A BackupRepo in `distDir` that no file of `stagingDir` writes any more (its `backupRepo` removed or renamed, or
 * the last platform that defined it gone) would be deleted by a prune and stop every backup into it. Refused, one
 * line per repo, unless `allowAll` (`--allow-destructive`): it belongs to no single config. A repo that moves to
 * another platform's file is kept, and not refused.
 */
export function backupRepoRefusals(stagingDir: string, distDir: string, allowAll: boolean, shownDist = distDir): string[] {
  if (allowAll) return [];
  return lostBackupRepos(folderObjects(distDir), folderObjects(stagingDir)).map(({ file, object }) => `${path.join(shownDist, file)}: BackupRepo `
    + `"${object.metadata?.name}" is written by no platform any more (its backupRepo was removed or renamed, or its platforms are gone), and a prune `
    + 'would delete it: KubeBlocks then refuses every new backup into it while old ones refer to it; keep a backupRepo that defines it, or remove '
    + 'it on purpose with --allow-destructive');
}
