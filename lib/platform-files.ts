/**
 * Which platform file holds which object, decided across all platforms of one synth: `dist/` is applied as one unit
 * (`kubectl apply -k dist/`, one GitOps Application), so an object may be in one file only.
 */
import { ConfigError, formatProblem } from './config/config-error';
import { backupRepoConflicts, isBackupRepo } from './kubeblocks/shared-backup-repos';

/** A synthesized object, as much of it as placing it needs. */
export interface PlacedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
}

/** One platform's objects and the file they go to. */
export interface PlatformObjects<T extends PlacedObject = PlacedObject> {
  /** The config file, as error lines name it. */
  readonly source: string;
  /** `<name>.k8s.yaml`. */
  readonly file: string;
  readonly objects: readonly T[];
}

/** What tells two objects apart in one cluster, as kustomize tells them apart: API group, kind, namespace, name. */
function identity(object: PlacedObject): string {
  const group = (object.apiVersion ?? '').includes('/') ? object.apiVersion!.split('/')[0] : '';
  return `${group}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

/**
 * Each platform's objects as its file will hold them. A BackupRepo defined alike by several platforms is written
 * once, by the first of them in file order (the others' clusters name it); defined differently, or a second repo
 * marked default, is refused. Then no object may be in two files, whatever its kind: that is refused in one line
 * naming the kind, the name and both files (kustomize would refuse the folder, and each apply would undo the other).
 * Throws a ConfigError with every problem; nothing is written.
 */
export function placeObjects<T extends PlacedObject>(platforms: readonly PlatformObjects<T>[]): PlatformObjects<T>[] {
  const repos = platforms.flatMap((platform) => platform.objects.filter(isBackupRepo).map((repo) => ({ source: platform.source, repo })));
  const conflicts = backupRepoConflicts(repos);
  if (conflicts.length > 0) throw new ConfigError(conflicts.map((c) => formatProblem(c.source, c.setting, c.value, c.reason)));

  const writtenRepos = new Set<string>();
  const placed = platforms.map((platform) => ({
    ...platform,
    objects: platform.objects.filter((object) => {
      if (!isBackupRepo(object)) return true;
      const first = !writtenRepos.has(identity(object));
      writtenRepos.add(identity(object));
      return first;
    }),
  }));

  const owner = new Map<string, PlatformObjects<T>>();
  const problems: string[] = [];
  for (const platform of placed) {
    // One line per pair of files: the first object they share, and how many more.
    const shared = new Map<PlatformObjects<T>, T[]>();
    for (const object of platform.objects) {
      const earlier = owner.get(identity(object));
      if (!earlier) owner.set(identity(object), platform);
      else if (earlier !== platform) shared.set(earlier, [...shared.get(earlier) ?? [], object]);
    }
    for (const [earlier, [object, ...more]] of shared) {
      const where = object.metadata?.namespace ? ` in namespace ${object.metadata.namespace}` : '';
      problems.push(`${platform.source}: ${object.kind} "${object.metadata?.name}"${where}${more.length > 0 ? ` (and ${more.length} more objects)` : ''} `
        + `would be written into both ${earlier.file} (${earlier.source}) and ${platform.file}: no two platform files may write the same object `
        + '(kubectl apply -k refuses the folder, and each file would undo the other); give the platforms different names for it');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return placed;
}
