/**
 * The pipeline the command-line tool runs (synth, plan and their guard rails), as library functions: main.ts bundles
 * them for the command-line tool (cli/), and lib/public-api.ts offers them to a user's own app.
 */
export { GENERATED_PREFIX, GENERATED_HEADER, KUSTOMIZATION, publishedObjects, yamlOf } from './platform-yaml';
export { keyOf } from '../guard-rails/plan';
export { configDirOf, outputDirProblem } from './folders';
export { synthesize, type SynthesizeOptions, loadConfigs, writePlatforms, platformYaml } from './synthesize';
export { checkGuardRails, guardRailOverrides, removedPlatformRefusals, folderObjects, backupRepoRefusals } from './refusals';
export { planReport, planPlatforms, type PlatformPlan } from './plan-report';
export { changeLines, countsOf } from './plan-lines';
export { withoutServerFields, liveChanges, type LiveState } from './live-plan';
