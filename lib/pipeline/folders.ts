/** The folders synth reads from and publishes into: where they are, and why one cannot be used. */
import * as fs from 'fs';
import * as path from 'path';
import { projectDir } from '../dify/wiring/project-files';

/** The folder of the user's shell: npm and npx run scripts from the project root and say where they were called. */
export function callerDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** The config folder synth reads: DIFY_CONFIG_DIR resolved against the caller's folder, else the project's config/. */
export function configDirOf(options: { readonly configDir?: string } = {}): string {
  const given = process.env.DIFY_CONFIG_DIR;
  return options.configDir ?? (given ? path.resolve(callerDir(), given) : path.join(projectDir(), 'config'));
}

/**
 * Why synth cannot publish into `distDir`, or undefined: a file where the folder should be, or a folder inside the
 * config folder (its files would be read as configs by every later synth).
 */
export function outputDirProblem(distDir: string, configDir: string, shown: (dir: string) => string = (dir) => dir): string | undefined {
  if (fs.existsSync(distDir) && !fs.statSync(distDir).isDirectory()) return `the output folder ${shown(distDir)} is a file: name a folder (DIST_DIR), or move the file away`;
  const relative = path.relative(path.resolve(configDir), path.resolve(distDir));
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    return `the output folder ${shown(distDir)} is inside the config folder ${shown(configDir)}: every later synth would read its files as configs; choose another DIST_DIR`;
  }
  return undefined;
}
