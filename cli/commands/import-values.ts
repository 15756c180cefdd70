/**
 * `npm run import-values -- <values.yaml> [--chart douban|boris] [--out <file>]`: a platform config from a community
 * Dify chart's values file (cli/imported-config.ts). The config goes to stdout (or --out, a new file); each value it
 * does not carry is one line on stderr, saying why. A plaintext secret is never written out.
 */
import * as fs from 'fs';
import { described } from '../errors';
import { CHARTS, ImportableChart, importedConfig, namespaceOfConfigFile, readValues } from '../imported-config';

const HELP = `usage: npx dify-kubeblocks import-values <values.yaml> [--chart douban|boris] [--out <file>]
       (in this repository: npm run import-values -- ...)

Writes a platform config (for config/<name>.yaml) from a community Dify chart's values file: douban's dify chart
0.4.x-0.9.x (--chart douban, the default) or BorisPolonsky's dify-helm (--chart boris). Every value the tables of
docs/settings-guide.md#coming-from-the-helm-charts map is carried to its setting; each value that is not is one
line on stderr with the reason (a plaintext secret is never carried: the line names the Secret key to create
instead). --out names a new file; an existing one is never replaced; the config it writes, config/<name>.yaml,
gets namespace <name>.`;

interface ImportOptions {
  readonly file: string;
  readonly chart: ImportableChart;
  readonly out?: string;
}

/** The values file and the options; a refused argument is an Error of one line. */
export function parseArgs(argv: readonly string[]): ImportOptions {
  const options: { chart: string; out?: string } = { chart: 'douban' };
  const rest = [...argv];
  const files: string[] = [];
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    if (arg === '--chart' || arg === '--out') {
      const value = rest.shift();
      if (value === undefined) throw new Error(`${arg} needs a value`);
      options[arg === '--chart' ? 'chart' : 'out'] = value;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown argument ${arg}; the options are --chart, --out and --help`);
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) throw new Error('name one values file');
  const chart = CHARTS.find((known) => known === options.chart);
  if (!chart) throw new Error(`--chart: "${options.chart}" is not allowed: douban or boris`);
  return { ...options, chart, file: files[0] };
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const options = parseArgs(argv);
  const values = readValues(options.file);
  if (options.out && fs.existsSync(options.out)) throw new Error(`--out: "${options.out}" is not allowed: it exists; name a new file`);
  // Written as config/<name>.yaml, the platform is <name>: its namespace too, as init's first platform.
  const { text, notes } = importedConfig(values, options.file, options.chart, undefined, options.out ? namespaceOfConfigFile(options.out) : undefined);
  if (options.out) fs.writeFileSync(options.out, text, { flag: 'wx' });
  else process.stdout.write(text);
  for (const note of notes) console.error(note);
  return 0;
}

/** The command: its exit code set, a refused argument or file said in one line. */
export function run(argv: readonly string[]): void {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    console.error(`import-values: ${described(error)}`);
    process.exitCode = 2;
  }
}
