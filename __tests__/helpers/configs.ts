import * as path from 'path';
import { ConfigError, loadPlatformConfigs, parsePlatformProps, PlatformConfig } from '../../lib';
import { COMMUNITY_CHART_FILES } from './community-charts';
import { withThirdParty } from './third-party';
import { FIXTURE_CONFIG_DIR } from './pipeline';

/** The examples (the seed's deployments): synthesized like any platform, into examples/dist, never into dist/. */
export const EXAMPLES_CONFIG_DIR = path.join(__dirname, '..', '..', 'examples', 'config');

/** The tests' own platform (helpers/pipeline.ts): never the repository's config/, which holds whatever a checkout has. */
export function fixtureConfigs(): PlatformConfig[] {
  return loadPlatformConfigs(FIXTURE_CONFIG_DIR);
}

/** The examples (examples/config), which is what examples/dist holds. */
export function exampleConfigs(): PlatformConfig[] {
  return loadPlatformConfigs(EXAMPLES_CONFIG_DIR);
}

/**
 * The examples this machine can synthesize: the chart examples render community charts whose packages are in the
 * third-party folder (DIFY_CHARTS_DIR, set by the tests' global setup); without it they are listed as skipped.
 */
export function renderableExampleConfigs(): PlatformConfig[] {
  const configs = exampleConfigs();
  return [...configs.filter((config) => !config.props.dify?.chart),
    ...withThirdParty('the chart examples', COMMUNITY_CHART_FILES, () => configs.filter((config) => config.props.dify?.chart))];
}

/** An example's config (examples/config/<name>.yaml). */
export function exampleConfig(name: string): PlatformConfig {
  const config = exampleConfigs().find((candidate) => candidate.name === name);
  if (!config) throw new Error(`examples/config/${name}.yaml is missing`);
  return config;
}

/** The error lines parsing `input` as the settings of `env.yaml` gives, or none. */
export function configProblems(input: unknown): string[] {
  try {
    parsePlatformProps(input, 'env.yaml');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}
