/**
 * What synth (and plan) accept as the output folder: it holds platform files (*.k8s.yaml: this tool's, or a user's
 * own manifests kept beside them), their kustomization.yaml, and a user's notes. Anything else means DIST_DIR names
 * a folder that is not dist/ (`/`, a home folder, a source tree): publishing there would mix platform files into
 * someone else's folder, so it is refused in one line, before anything is read or written. (A platform file of a
 * config that no longer reads as this tool's output is refused by the app, which knows the configs' file names.)
 */
import * as fs from 'fs';

/** Files a user may keep beside the platform files: the kustomization and notes. */
const USER_FILES = /^(kustomization\.ya?ml|[^/]+\.(md|txt)|\.git(keep|ignore|attributes))$/i;
/** At most this many entries are looked at: a folder with more is no output folder of this tool. */
const MAX_ENTRIES = 10000;

/** Why `distDir` cannot be this tool's output folder, in one line (empty when it can be); `shown` names it. */
export function distFolderProblems(distDir: string, shown: string): string[] {
  if (!fs.existsSync(distDir) || !fs.statSync(distDir).isDirectory()) return [];
  const dir = fs.opendirSync(distDir);
  const foreign: string[] = [];
  let seen = 0;
  try {
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) {
      seen += 1;
      if (seen > MAX_ENTRIES) {
        return [`${shown}: holds over ${MAX_ENTRIES} entries, so it is no output folder of this tool's; name dist/ (or an empty folder) in DIST_DIR`];
      }
      const name = entry.name;
      // A *.k8s.yaml that is no file, or no file of this tool's, is the app's to judge: it knows the platforms.
      if (!(name.endsWith('.k8s.yaml') || (entry.isFile() && USER_FILES.test(name)))) {
        foreign.push(name);
      }
    }
  } finally {
    dir.closeSync();
  }
  if (foreign.length === 0) return [];
  foreign.sort();
  const listed = `${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}`;
  return [`${shown}: holds what synth never writes (${listed}), so it is no output folder of this tool's, which holds only platform files, `
    + 'kustomization.yaml and your notes (.md, .txt): name dist/ (or an empty folder) in DIST_DIR'];
}
