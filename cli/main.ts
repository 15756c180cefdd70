/**
 * The command-line tool of the package: `npx dify-kubeblocks <command> [...]` (bin/dify-kubeblocks.js), and each
 * command on its own for this repository's npm scripts (scripts/<command>.js). scripts/build.js bundles this file
 * and what it imports into build/cli.js; the commands reach the library through build/main.js (cli/library.ts).
 * The dispatcher finds the user's project folder first (cli/project-dir.ts), so that config/, dist/ and
 * vendor/charts/ are the user's, the code and data the package's.
 */
import * as path from 'path';
import * as cdk8sApp from './commands/cdk8s-app';
import * as charts from './commands/charts';
import * as importValues from './commands/import-values';
import * as init from './commands/init';
import * as ops from './commands/ops';
import * as plan from './commands/plan';
import * as synth from './commands/synth';
import { asError } from './errors';
import { PACKAGE_ROOT, packageJson, projectDir } from './project-dir';

/** A command: it reads its arguments and sets process.exitCode. */
export interface Command {
  run(argv: readonly string[]): void;
}

/** Every command, by the name its wrapper in scripts/ gives (`cdk8s-app` is the app of cdk8s.yaml). */
export const COMMANDS: Readonly<Record<string, Command>> = {
  init, synth, plan, ops, charts, 'import-values': importValues, 'cdk8s-app': cdk8sApp,
};

/** The commands of `npx dify-kubeblocks`: what each does, and whether it works on a project folder. */
const TOOL_COMMANDS: Readonly<Record<string, { readonly what: string; readonly needsProject: boolean }>> = {
  init: { what: 'write a new project folder: package.json, cdk8s.yaml, config/, a snapshot test, README', needsProject: false },
  synth: { what: 'config/ -> dist/, guard rails first, all files or none (--check: is dist/ current?)', needsProject: true },
  plan: { what: 'what synth would create, change and delete, field by field; writes nothing', needsProject: true },
  ops: { what: 'one KubeBlocks OpsRequest for a platform\'s database (restart, scale, backup, ...)', needsProject: true },
  charts: { what: 'lock a community chart\'s package in vendor/charts (add), or check the locked ones', needsProject: true },
  'import-values': { what: 'a platform config from a douban or BorisPolonsky chart\'s values file', needsProject: false },
  schema: { what: 'print the path of the config files\' JSON Schema (for an editor\'s yaml-language-server)', needsProject: false },
};

const USAGE = `usage: npx dify-kubeblocks <command> [options]   (each command takes --help)

${Object.entries(TOOL_COMMANDS).map(([name, { what }]) => `  ${name.padEnd(14)} ${what}`).join('\n')}
  version        this package's version`;

/** The exit code when the dispatcher answers itself, undefined when a command ran (it set process.exitCode). */
export function dispatch(argv: readonly string[]): number | undefined {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'version' || command === '--version') {
    console.log(packageJson().version);
    return 0;
  }
  const entry = Object.hasOwn(TOOL_COMMANDS, command) ? TOOL_COMMANDS[command] : undefined;
  if (!entry) {
    console.error(`dify-kubeblocks: "${command}" is not a command; the commands are ${[...Object.keys(TOOL_COMMANDS), 'version'].join(', ')}`);
    return 2;
  }
  if (command === 'schema') {
    console.log(path.join(PACKAGE_ROOT, 'schema', 'platform-config.schema.json'));
    return 0;
  }
  if (entry.needsProject && !rest.includes('--help') && !rest.includes('-h')) {
    try {
      projectDir();
    } catch (error) {
      console.error(`dify-kubeblocks ${command}: ${asError(error).message}`);
      return 2;
    }
  }
  COMMANDS[command].run(rest);
  return undefined;
}

/** `npx dify-kubeblocks ...`: bin/dify-kubeblocks.js runs this with the arguments after its name. */
export function main(argv: readonly string[]): void {
  const status = dispatch(argv);
  if (status !== undefined) process.exitCode = status;
}
