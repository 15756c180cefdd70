/**
 * No refusal points nowhere: every "the platform sets X; to change it use Y" names, as Y, settings that exist in the
 * config schema (or says why nothing should set X). The pointers are walked from the tables that hold them: the
 * variables the platform wires, and the chart values each chart family owns.
 */
import * as fs from 'fs';
import * as path from 'path';
import { configJsonSchema } from '../lib/config/config-json-schema';
import { CHART_FAMILIES, chartFamilyOf } from '../lib/dify/chart/chart-family';
import { WIRED_POINTERS } from '../lib/dify/wiring/wired-env';
import { SettingPointer } from '../lib/setting-pointer';

type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; items?: Schema };

/** The schema of a dotted setting, looking through unions; undefined when no such setting exists. */
function settingSchema(schema: Schema, dotted: string): Schema | undefined {
  return dotted.split('.').reduce<Schema | undefined>((node, key) => {
    if (!node) return undefined;
    const candidates = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
    return candidates.map((candidate) => candidate.properties?.[key]).find((found) => found !== undefined);
  }, schema);
}

const POINTERS: readonly [string, SettingPointer][] = [
  ...WIRED_POINTERS.map((pointer): [string, SettingPointer] => ['a wired variable', pointer]),
  ...CHART_FAMILIES.flatMap((family) => chartFamilyOf({ family }).ownedValues
    .map(([value, pointer]): [string, SettingPointer] => [`${family} chart value ${value}`, pointer])),
];

describe('every pointer of a refusal', () => {
  const schema = configJsonSchema() as Schema;

  test('names settings that exist in the config schema', () => {
    const missing = POINTERS.flatMap(([where, pointer]) => pointer.settings
      .filter((setting) => settingSchema(schema, setting) === undefined).map((setting) => `${where}: ${setting}`));

    expect(POINTERS.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  test('says in its text each setting it names, or why nothing should set the value', () => {
    const unsaid = POINTERS.filter(([, pointer]) => pointer.settings.length === 0
      ? !pointer.text.startsWith('nothing: ')
      : !pointer.text.startsWith(pointer.settings[0]) || pointer.settings.some((setting) => !pointer.text.includes(setting)));

    expect(unsaid).toEqual([]);
  });

  test('the refusals of proxy variables point at the egress proxy setting, in either case', () => {
    const wired = WIRED_POINTERS.filter((pointer) => pointer.settings.includes('dify.egressProxy'));

    expect(wired).toHaveLength(1);
    expect(settingSchema(schema, 'dify.egressProxy.httpProxy')).toBeDefined();
  });

  test('every "to change it use" line of lib/ takes its target from a pointer', () => {
    const lines: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
            if (line.includes('to change it use') && !/^\s*(\/?\*|\/\/)/.test(line) && !/to change it use \$\{[\w.]+\.text\}/.test(line)) lines.push(`${path.relative('.', file)}:${index + 1}`);
          });
        }
      }
    };
    walk(path.join(__dirname, '..', 'lib'));

    expect(lines).toEqual([]);
  });
});
