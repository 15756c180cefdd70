/**
 * A platform config from a community Dify chart's values file (the library's importers, lib/values-import/): what
 * `import-values` prints and `init --from-values` writes.
 */
import * as path from 'path';
import { library } from './library';
import { PACKAGE_ROOT, projectDir } from './project-dir';

/** The charts whose values can be imported. */
export const CHARTS = ['douban', 'boris'] as const;
export type ImportableChart = (typeof CHARTS)[number];

/** The largest values file read: a chart's values are kilobytes; anything larger is not one. */
const MAX_BYTES = 1024 * 1024;

/**
 * The values file, read as config files are (lib/config/yaml-input.ts): a regular UTF-8 file of at most 1 MiB,
 * plain YAML (no unknown tags, at most 100 alias expansions, no prototype keys); anything else is one line.
 */
export function readValues(file: string): Record<string, unknown> {
  const app = library();
  const values: unknown = app.parseUserYaml(app.readUserText(file, file, MAX_BYTES, 'a values file'), file);
  if (values === undefined || values === null) return {};
  if (typeof values !== 'object' || Array.isArray(values)) throw new Error(`${file}: not a mapping of values`);
  return values as Record<string, unknown>;
}

/** The config folder of the project this is run in; outside any project, the current folder. */
function defaultConfigDir(): string {
  try {
    return path.join(projectDir(), 'config');
  } catch {
    return process.cwd();
  }
}

/** The namespace of a config written as `<folder>/<name>.yaml`: its name, when that can name a namespace. */
export function namespaceOfConfigFile(file: string): string | undefined {
  const name = path.basename(file).replace(/\.ya?ml$/, '');
  return /^[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?$/.test(name) ? name : undefined;
}

/**
 * The config text a values file gives, and the notes on what it does not carry. Its `$schema` line points at the
 * package's JSON Schema from the project's config/ folder (where the file is meant to go).
 */
export function importedConfig(values: Record<string, unknown>, file: string, chart: ImportableChart, configDir = defaultConfigDir(),
  namespace?: string): { text: string; notes: readonly string[] } {
  const app = library();
  const imported = app.importChartValues(values, chart);
  // The platform's namespace first: a config written as config/<name>.yaml is platform <name>, in namespace <name>
  // (as init writes its first one), so it never lands in another platform's default namespace.
  const config = namespace ? { namespace, ...imported.config } : imported.config;
  const { notes } = imported;
  const schema = path.relative(configDir, path.join(PACKAGE_ROOT, 'schema', 'platform-config.schema.json')).split(path.sep).join('/');
  // Loaded here, not with the tool: only this and ops write YAML themselves.
  const { dump } = require('js-yaml') as typeof import('js-yaml');
  const text = `# yaml-language-server: $schema=${schema}\n# Imported from ${path.basename(file)} (${chart} chart) by dify-kubeblocks import-values.\n`
    + dump(config, { lineWidth: -1, noRefs: true });
  return { text, notes };
}
