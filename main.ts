/**
 * The cdk8s app: one DifyPlatform chart per config file in the config folder (DIFY_CONFIG_DIR, default `config/`),
 * each written to `<outdir>/<config name>.k8s.yaml`. Every config is validated before anything is constructed, so a
 * bad one stops synth with a non-zero exit and the error lines, and writes nothing.
 *
 * The command-line tool (cli/: `npm run synth`, `cdk8s synth` through scripts/cdk8s-app.js, plan, ...) runs the
 * bundle that scripts/build.js makes from this file, rebuilt only when a source changed: what it exports is what
 * the commands can call (cli/library.ts types it). The pipeline itself is the library's (lib/pipeline/).
 */
import { ConfigError } from './lib/config/config-error';
import { synthesize } from './lib/pipeline';

export * from './lib/pipeline';
export { opsRequest, OpsError, configChangeLine } from './lib/operations';
export { importValues, IMPORTABLE_CHARTS } from './lib/values-import/import-values';
export { importChartValues } from './lib/values-import/import-chart-values';
export { configJsonSchema } from './lib/config/config-json-schema';
export { findHelm } from './lib/dify/chart/chart-source';
export { parseUserYaml, readUserText } from './lib/config/yaml-input';
export { urlCredentialProblem } from './lib/config/grammar';
export * as vendoredCharts from './lib/dify/chart/vendored-charts';

/** The app as `cdk8s synth` runs it: into CDK8S_OUTDIR, a refused config as its error lines and exit code 1. */
export function main(): void {
  try {
    synthesize({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

if (require.main === module) main();
