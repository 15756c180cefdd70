/**
 * BackupRepos across platforms. A BackupRepo is one object of the whole Kubernetes cluster (its CRD's scope is
 * Cluster at v0.9.5 and v1.0.2), so platforms that define one under the same name define the same object, and
 * KubeBlocks takes at most one default: with two repos annotated default (and Ready) every backup that names no
 * repo fails with "multiple default BackupRepo found" (apecloud/kubeblocks controllers/dataprotection/utils.go,
 * `getDefaultBackupRepo`, at both tags).
 */
import { isDeepStrictEqual } from 'util';

/** The annotation KubeBlocks reads (pkg/dataprotection/types/constant.go `DefaultBackupRepoAnnotationKey`, both tags). */
export const DEFAULT_REPO_ANNOTATION = 'dataprotection.kubeblocks.io/is-default-repo';

/** A BackupRepo object as a platform synthesized it, with the config that defined it. */
export interface DefinedRepo {
  /** The config file (or platform) that defined it, as error lines name it. */
  readonly source: string;
  readonly repo: { readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> } };
}

/** A definition that cannot be written: the config, the setting, its value there, and why it is refused. */
export interface RepoConflict {
  readonly source: string;
  readonly setting: string;
  readonly value: unknown;
  readonly reason: string;
}

/** Whether a synthesized object is a KubeBlocks BackupRepo. */
export function isBackupRepo(object: { readonly apiVersion?: string; readonly kind?: string }): boolean {
  return object.kind === 'BackupRepo' && (object.apiVersion ?? '').startsWith('dataprotection.kubeblocks.io/');
}

/**
 * Every conflict, naming the later config, the setting that differs and the earlier config: the same name defined
 * differently, and a second repo marked default. Empty when the repos can be written, each name once.
 */
export function backupRepoConflicts(defined: readonly DefinedRepo[]): RepoConflict[] {
  const first = new Map<string, DefinedRepo>();
  const problems: RepoConflict[] = [];
  for (const entry of defined) {
    const name = entry.repo.metadata?.name ?? '';
    const earlier = first.get(name);
    if (!earlier) {
      first.set(name, entry);
      continue;
    }
    if (isDeepStrictEqual(earlier.repo, entry.repo)) continue;
    const path = firstDifference(earlier.repo, entry.repo);
    problems.push({ source: entry.source, setting: settingOf(path), value: valueOf(path, entry.repo), reason: `BackupRepo "${name}" is defined by `
      + `${earlier.source} with ${JSON.stringify(valueOf(path, earlier.repo)) ?? 'nothing'}; a BackupRepo is one object of the whole Kubernetes `
      + 'cluster: define it the same in every platform, or give this one another name' });
  }
  const defaults = [...first.values()].filter((entry) => entry.repo.metadata?.annotations?.[DEFAULT_REPO_ANNOTATION] === 'true');
  for (const entry of defaults.slice(1)) {
    problems.push({ source: entry.source, setting: 'backupRepo.default', value: true, reason: `BackupRepo "${entry.repo.metadata?.name}" would be `
      + `the installation's default beside "${defaults[0].repo.metadata?.name}" of ${defaults[0].source}, and KubeBlocks fails every backup that `
      + 'names no repo when two are ("multiple default BackupRepo found"); set default: false on all but one (each platform\'s clusters name their own repo)' });
  }
  return problems;
}

/** The path of the first leaf where two JSON values differ, in the first one's key order. */
function firstDifference(a: unknown, b: unknown, path: readonly string[] = []): readonly string[] {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  // A map only one side has (labels, annotations) is compared as empty on the other, so the key that differs is named.
  const [left, right] = [a ?? (isRecord(b) ? {} : a), b ?? (isRecord(a) ? {} : b)];
  if (!isRecord(left) || !isRecord(right)) return path;
  const key = [...new Set([...Object.keys(left), ...Object.keys(right)])].find((k) => !isDeepStrictEqual(left[k], right[k]));
  return key === undefined ? path : firstDifference(left[key], right[key], [...path, key]);
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), object);
}

/** The value as the setting is written: the default annotation is `default: true|false`. */
function valueOf(path: readonly string[], repo: unknown): unknown {
  const value = valueAt(repo, path);
  return path[2] === DEFAULT_REPO_ANNOTATION ? value === 'true' : value;
}

/** The config setting that writes a BackupRepo field (lib/kubeblocks/backup-repo.ts), or the field's path. */
function settingOf(path: readonly string[]): string {
  const [part, field, key] = path;
  if (part === 'metadata') {
    if (key === DEFAULT_REPO_ANNOTATION) return 'backupRepo.default';
    if (field === 'labels') return `commonLabels.${key}`;
    if (field === 'annotations') return `commonAnnotations.${key}`;
  }
  if (part === 'spec') {
    const settings: Record<string, string> = {
      storageProviderRef: 'backupRepo.provider', accessMethod: 'backupRepo.accessMethod', pathPrefix: 'backupRepo.pathPrefix',
      credential: `backupRepo.credentialsSecret.${key}`, config: `backupRepo.${key}`,
    };
    if (field in settings) return settings[field];
  }
  return path.join('.');
}
