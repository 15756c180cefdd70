/**
 * `npx dify-kubeblocks init [folder]`: a new project of the user's own, holding only their platforms (the files of
 * cli/project-template.ts), its config a commented starting point or imported from a chart's values file. Nothing
 * is overwritten: a file that is already there stops init before anything is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asError } from '../errors';
import { CHARTS, ImportableChart, importedConfig, readValues } from '../imported-config';
import { callerDir } from '../library';
import { packageJson } from '../project-dir';
import {
  CDK8S_YAML, GITIGNORE, ProjectOptions, projectPackageJson, readme, schemaLine, SNAPSHOT_TEST, startingConfig,
} from '../project-template';

function help(): string {
  return `usage: npx dify-kubeblocks init [folder] [--name NAME] [--from-values FILE --chart douban|boris] [--package SPEC]

Writes a new project into folder (default: the current one): package.json, cdk8s.yaml, config/NAME.yaml,
__tests__/manifests.test.js, .gitignore and README.md. Then: cd folder && npm install && npx dify-kubeblocks synth.

  --name NAME          the first platform: config/NAME.yaml, its namespace NAME (default: dify)
  --from-values FILE   import the platform from a community chart's values file instead of the starting point
  --chart douban|boris which chart the values file is for (default douban)
  --package SPEC       how package.json names this package (default: its exact version, ${packageJson().version}; a path
                       to a packed .tgz or a folder for a build of your own)`;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

class UsageError extends Error {}

interface InitOptions extends ProjectOptions {
  readonly fromValues?: string;
  readonly chart: ImportableChart;
}

const OPTION_KEYS: Readonly<Record<string, 'name' | 'fromValues' | 'chart' | 'package'>> = {
  '--name': 'name', '--from-values': 'fromValues', '--chart': 'chart', '--package': 'package',
};

/** The options; a refused argument is a UsageError of one line. */
export function parseArgs(argv: readonly string[]): InitOptions {
  const options: { name: string; chart: string; fromValues?: string; package?: string } = { name: 'dify', chart: 'douban' };
  const positional: string[] = [];
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    const key = Object.hasOwn(OPTION_KEYS, arg) ? OPTION_KEYS[arg] : undefined;
    if (key) {
      const value = rest.shift();
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      options[key] = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown argument ${arg}; the options are --name, --from-values, --chart, --package and --help`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 1) throw new UsageError('name at most one folder');
  if (!NAME.test(options.name) || options.name.length > 53) {
    throw new UsageError(`--name: "${options.name}" is not allowed: lowercase letters, digits and '-', at most 53 characters (it names a namespace and files)`);
  }
  const chart = CHARTS.find((known) => known === options.chart);
  if (!chart) throw new UsageError(`--chart: "${options.chart}" is not allowed: douban or boris`);
  return { ...options, chart, folder: path.resolve(callerDir(), positional[0] ?? '.') };
}

/** The files init writes, relative to the folder, with their content, and the import's notes. */
function projectFiles(options: InitOptions): { files: Record<string, string>; notes: readonly string[] } {
  let config = startingConfig(options.name);
  let notes: readonly string[] = [];
  if (options.fromValues) {
    const imported = importedConfig(readValues(options.fromValues), options.fromValues, options.chart, path.join(options.folder, 'config'), options.name);
    config = imported.text.replace(/^# yaml-language-server: .*$/m, schemaLine());
    notes = imported.notes;
  }
  return {
    files: {
      'package.json': `${JSON.stringify(projectPackageJson(options), null, 2)}\n`,
      'cdk8s.yaml': CDK8S_YAML,
      [path.join('config', `${options.name}.yaml`)]: config,
      [path.join('__tests__', 'manifests.test.js')]: SNAPSHOT_TEST,
      '.gitignore': GITIGNORE,
      'README.md': readme(options),
    },
    notes,
  };
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(help());
    return 0;
  }
  const options = parseArgs(argv);
  const { files, notes } = projectFiles(options);
  const present = Object.keys(files).filter((file) => fs.existsSync(path.join(options.folder, file)));
  if (present.length > 0) {
    throw new UsageError(`${options.folder} already has ${present.join(', ')}: init writes a new project and replaces nothing; choose an empty folder`);
  }
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(options.folder, file)), { recursive: true });
    fs.writeFileSync(path.join(options.folder, file), content, { flag: 'wx' });
  }
  for (const note of notes) console.error(note);
  const shown = path.relative(callerDir(), options.folder) || '.';
  console.log(`wrote ${Object.keys(files).map((file) => path.join(shown, file)).join(', ')}`);
  console.log(`next: ${shown === '.' ? '' : `cd ${shown} && `}npm install && npx dify-kubeblocks synth`);
  return 0;
}

/** The command: its exit code set, a refused argument said in one line. */
export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (thrown) {
    const error = asError(thrown);
    console.error(`init: ${error instanceof UsageError || !process.env.DEBUG ? error.message : error.stack}`);
    process.exitCode = 2;
  }
}
