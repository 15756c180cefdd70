import * as fs from 'fs';
import * as path from 'path';
import { DifyPlatformProps, platformNamespace } from '../dify-platform-props';
import { ConfigError, formatProblem } from './config-error';
import { parsePlatformProps } from './platform-schema';
import { describeFsError, parseUserYaml, readUserText } from './yaml-input';

/** A validated platform config: the chart id (and output name) comes from the file name. */
export interface PlatformConfig {
  readonly name: string;
  readonly source: string;
  readonly props: DifyPlatformProps;
}

/** Config file names double as output file names under dist/, so they are kept simple. */
const CONFIG_FILE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.ya?ml$/i;
/** What counts as a config file at all (any case of the extension, so `PROD.YAML` is refused by name, not ignored). */
const YAML_FILE = /\.ya?ml$/i;

/** The platform synthesized when the config folder holds no config file. */
export const DEFAULT_PLATFORM: PlatformConfig = { name: 'default', source: '(built-in defaults)', props: {} };

/** A config file is a few kilobytes; a larger one is a mistake (a dump, a binary) and is refused unread. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Parses one config file's text; an empty file means "all defaults". Throws a ConfigError on YAML that is not plain
 * data (yaml-input.ts: errors, unknown tags, alias bombs, prototype keys) or on bad values.
 */
export function parseConfigText(text: string, source: string): DifyPlatformProps {
  const value = parseUserYaml(text, source);
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError([formatProblem(source, '', value, 'a config file is a mapping of settings (or empty)')]);
  }
  return parsePlatformProps(value ?? {}, source);
}

/** The text of one config file, or a problem line naming it. */
function readConfigFile(source: string, display: string): string {
  return readUserText(source, display, MAX_CONFIG_BYTES, 'a config file');
}

/** How {@link loadPlatformConfigs} treats the config folder. */
export interface LoadOptions {
  /**
   * The folder was named explicitly (DIFY_CONFIG_DIR): then it must exist and hold at least one config file, as
   * synthesizing the default platform instead would silently replace every platform in dist/.
   * @default false
   */
  readonly explicit?: boolean;
  /**
   * How `dir` is written in error lines (as the user typed it, e.g. `config`).
   * @default - dir itself
   */
  readonly displayDir?: string;
}

/** The YAML file names in `dir`, sorted; a ConfigError when the folder cannot be listed. */
function listConfigFiles(dir: string, display: string, explicit: boolean): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return [];
    throw new ConfigError([`${display}: the config folder ${describeFsError(error)}`]);
  }
  const files = entries.filter((file) => YAML_FILE.test(file)).sort();
  if (files.length === 0 && explicit) {
    throw new ConfigError([`${display}: the config folder holds no .yaml or .yml file (unset DIFY_CONFIG_DIR for the built-in default platform)`]);
  }
  return files;
}

/**
 * Reads and validates every `*.yaml`/`*.yml` file of `dir`, in name order. All files are checked before any is
 * used, and every problem of every file is reported. No file at all gives the {@link DEFAULT_PLATFORM}, unless the
 * folder was named explicitly.
 */
export function loadPlatformConfigs(dir: string, options: LoadOptions = {}): PlatformConfig[] {
  const display = options.displayDir ?? dir;
  const files = listConfigFiles(dir, display, options.explicit ?? false);
  if (files.length === 0) return [DEFAULT_PLATFORM];

  const configs: PlatformConfig[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const source = path.join(display, file);
    const match = CONFIG_FILE.exec(file);
    if (!match || match[1] !== match[1].toLowerCase()) {
      problems.push(formatProblem(source, 'file name', file, 'lowercase letters, digits and "-" (no other dots), ending in .yaml or .yml'));
      continue;
    }
    try {
      configs.push({ name: match[1], source, props: parseConfigText(readConfigFile(path.join(dir, file), source), source) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...crossFileProblems(configs, display));
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/** Two files may not write the same output file, nor the same objects into one namespace. */
function crossFileProblems(configs: readonly PlatformConfig[], display: string): string[] {
  const problems: string[] = [];
  configs.forEach((config, index) => {
    const earlier = configs.slice(0, index);
    if (earlier.some((other) => other.name === config.name)) {
      problems.push(formatProblem(display, 'file name', config.name, 'one config file per platform name (not both .yaml and .yml)'));
      return;
    }
    const namespace = platformNamespace(config.props);
    const sharing = earlier.find((other) => platformNamespace(other.props) === namespace);
    if (sharing) {
      problems.push(formatProblem(config.source, 'namespace', namespace,
        `${sharing.source} deploys into this namespace already; two platforms in one namespace would overwrite each other's objects`));
    }
  });
  return problems;
}
