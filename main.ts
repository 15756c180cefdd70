/**
 * The cdk8s app: one DifyPlatform chart per config file in the config folder (DIFY_CONFIG_DIR, default `config/`),
 * each written to `<outdir>/<config name>.k8s.yaml`. Every config is validated before anything is constructed, so a
 * bad one stops synth with a non-zero exit and the error lines, and writes nothing.
 */
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ConfigError } from './lib/config/config-error';
import { loadPlatformConfigs } from './lib/config/load-configs';
import { DifyPlatform } from './lib/dify-platform';

function main(): void {
  const configDir = process.env.DIFY_CONFIG_DIR ?? path.join(__dirname, '..', 'config');
  const configs = loadPlatformConfigs(configDir);
  const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const config of configs) {
    new DifyPlatform(app, config.name, config.props);
  }
  app.synth();
}

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
