import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { DifyPlatformProps } from '../dify-platform-props';
import { ConfigError, formatProblem } from './config-error';
import { parsePlatformProps } from './platform-schema';

/** A validated platform config: the chart id (and output name) comes from the file name. */
export interface PlatformConfig {
  readonly name: string;
  readonly source: string;
  readonly props: DifyPlatformProps;
}

/** Config file names double as output file names under dist/, so they are kept simple. */
const CONFIG_FILE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.ya?ml$/;

/** The platform synthesized when the config folder holds no config file. */
export const DEFAULT_PLATFORM: PlatformConfig = { name: 'default', source: '(built-in defaults)', props: {} };

/** Parses one config file's text; an empty file means "all defaults". Throws a ConfigError on bad YAML or values. */
export function parseConfigText(text: string, source: string): DifyPlatformProps {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const position = error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError([`${source}${position}: not valid YAML: ${reason}`]);
  }
  const value: unknown = document.toJS();
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError([formatProblem(source, '', value, 'a config file is a mapping of settings (or empty)')]);
  }
  return parsePlatformProps(value ?? {}, source);
}

/**
 * Reads and validates every `*.yaml`/`*.yml` file of `dir`, in name order. All files are checked before any is
 * used, and every problem of every file is reported. No file at all gives the {@link DEFAULT_PLATFORM}.
 */
export function loadPlatformConfigs(dir: string): PlatformConfig[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort() : [];
  if (files.length === 0) return [DEFAULT_PLATFORM];

  const configs: PlatformConfig[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const source = path.join(dir, file);
    const match = CONFIG_FILE.exec(file);
    if (!match) {
      problems.push(formatProblem(source, 'file name', file, 'lowercase letters, digits and "-" (no other dots), ending in .yaml or .yml'));
      continue;
    }
    try {
      configs.push({ name: match[1], source, props: parseConfigText(fs.readFileSync(source, 'utf8'), source) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const names = configs.map((config) => config.name);
  for (const name of names.filter((n, i) => names.indexOf(n) !== i)) {
    problems.push(formatProblem(dir, 'file name', name, 'one config file per platform name (not both .yaml and .yml)'));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}
