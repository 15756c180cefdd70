/**
 * Synth as a function: every config validated before anything is constructed, then one file per platform and the
 * kustomization listing them. A bad config stops it with a ConfigError holding every problem, and writes nothing.
 */
import { apiServerLimitProblems } from './api-server-limits';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { dump } from 'js-yaml';
import { ConfigError } from '../config/config-error';
import { loadPlatformConfigs, PlatformConfig } from '../config/load-configs';
import { DifyPlatform, platformSource } from '../dify-platform';
import { DifyPlatformProps } from '../dify-platform-props';
import { projectDir } from '../dify/wiring/project-files';
import { ObjectLike } from '../guard-rails';
import { PlacedObject, placeObjects } from '../platform-files';
import { configDirOf } from './folders';
import { GENERATED_HEADER, GENERATED_PREFIX, KUSTOMIZATION, YAML_OPTIONS, yamlOf } from './platform-yaml';

/** Where {@link synthesize} reads configs and writes platform files. */
export interface SynthesizeOptions {
  /** Where the `<platform>.k8s.yaml` files are written. */
  readonly outdir: string;
  /** @default - DIFY_CONFIG_DIR resolved against the caller's folder, else `config/` of the project */
  readonly configDir?: string;
  /** How the config folder is written in error lines. @default - as DIFY_CONFIG_DIR was given, else `config` */
  readonly displayDir?: string;
  /** The folder was named by the user: it must exist and hold a config. @default - whether DIFY_CONFIG_DIR is set */
  readonly explicit?: boolean;
}

/** Validates every config, then writes one file per platform; returns the file names. Throws ConfigError. */
export function synthesize(options: SynthesizeOptions): string[] {
  return writePlatforms(options.outdir, loadConfigs(options));
}

/** Every platform config, validated: all problems of all files at once, as one ConfigError. */
export function loadConfigs(options: Omit<SynthesizeOptions, 'outdir'>): PlatformConfig[] {
  const given = process.env.DIFY_CONFIG_DIR;
  const configDir = configDirOf(options);
  const configs = loadPlatformConfigs(configDir, {
    explicit: options.explicit ?? given !== undefined,
    displayDir: options.displayDir ?? given ?? 'config',
  });
  return configs.map(withChartPathFromRoot);
}

/** A relative `dify.chart.path` names a folder of the user's project, wherever synth is run from. */
function withChartPathFromRoot(config: PlatformConfig): PlatformConfig {
  const chart = config.props.dify?.chart;
  if (chart?.path === undefined || path.isAbsolute(chart.path)) return config;
  const dify = { ...config.props.dify, chart: { ...chart, path: path.join(projectDir(), chart.path) } };
  return { ...config, props: { ...config.props, dify } };
}

/**
 * Writes `<outdir>/<name>.k8s.yaml` for each platform and the kustomization listing them; returns the file names.
 * The platforms are built first and placed together (lib/platform-files.ts): a BackupRepo they share is written once,
 * and an object that two files would hold is refused (ConfigError) before anything is written.
 */
export function writePlatforms(outdir: string, configs: readonly PlatformConfig[]): string[] {
  const platforms = placeObjects(configs.map((config) => ({ source: config.source, file: `${config.name}.k8s.yaml`, objects: platformObjectsOf(config) })));
  fs.mkdirSync(outdir, { recursive: true });
  const files = platforms.map((platform) => {
    fs.writeFileSync(path.join(outdir, platform.file), `${GENERATED_HEADER}\n${yamlOf(platform.objects)}`);
    return platform.file;
  });
  fs.writeFileSync(path.join(outdir, KUSTOMIZATION), `${GENERATED_PREFIX}: every platform file of this folder, for kubectl apply -k and GitOps tools.\n`
    + dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }, YAML_OPTIONS));
  return [...files, KUSTOMIZATION];
}

/** One platform's objects as multi-document YAML, as its file holds them when it is the only platform. */
export function platformYaml(name: string, props: DifyPlatformProps): string {
  return yamlOf(platformObjects(name, props));
}

/**
 * A config's platform as objects. A problem found while building it (rendering a chart) is said as one of its config
 * file's problems: the construct only knows the platform's name.
 */
function platformObjectsOf(config: PlatformConfig): PlatformObject[] {
  try {
    return platformObjects(config.name, config.props);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const construct = `${platformSource(config.name)}: `;
    throw new ConfigError(error.problems.map((line) => (line.startsWith(construct) ? `${config.source}: ${line.slice(construct.length)}` : line)));
  }
}

/** A synthesized object, as JSON. */
type PlatformObject = ObjectLike & PlacedObject;

/**
 * One platform's objects. Each platform is its own App: cdk8s validates the whole App for every chart it renders,
 * so one App of many charts would cost the square of their number; alone, a platform is validated once and its
 * constructs are freed before the next.
 */
function platformObjects(name: string, props: DifyPlatformProps): PlatformObject[] {
  const chart = new DifyPlatform(new App(), name, props);
  // chart.toJson() is what App.synth() writes: dependencies resolved, every construct validated, tokens resolved.
  const objects: PlatformObject[] = chart.toJson();
  const refused = apiServerLimitProblems(objects);
  if (refused.length > 0) throw new ConfigError(refused.map((line) => `${platformSource(name)}: ${line}`));
  return objects;
}
