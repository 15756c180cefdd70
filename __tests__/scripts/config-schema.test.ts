/**
 * schema/platform-config.schema.json, the JSON Schema editors read for config files: what the code makes now, read
 * by a real JSON Schema validator the way an editor's YAML extension does, and named by every shipped config.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { EXAMPLES_CONFIG_DIR } from '../helpers/configs';
import { FIXTURE_CONFIG_DIR } from '../helpers/pipeline';
import { buildApp, ROOT } from '../helpers/pipeline';

const SCHEMA_FILE = path.join(ROOT, 'schema', 'platform-config.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

const shippedFiles = () => [FIXTURE_CONFIG_DIR, EXAMPLES_CONFIG_DIR]
  .flatMap((dir) => fs.readdirSync(dir).filter((file) => file.endsWith('.yaml')).map((file) => path.join(dir, file)));

test('the committed schema is what the config schema and the props\' documentation make now (npm run schema)', () => {
  buildApp();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'config-schema.js'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

test('every shipped config names the schema in its first line and is valid by it', () => {
  for (const file of shippedFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const named = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
    expect({ file, named: named && path.resolve(path.dirname(file), named) }).toEqual({ file, named: SCHEMA_FILE });
    expect({ file, valid: validate(parse(text) ?? {}), errors: validate.errors ?? null }).toEqual({ file, valid: true, errors: null });
  }
});

test('an editor marks what synth refuses by shape: an unknown key, a wrong enum, a wrong type; and shows each setting\'s documentation', () => {
  const errors = (config: unknown) => (validate(config) ? [] : validate.errors!.map((error) => `${error.instancePath} ${error.message}`));

  expect(errors({ postgresql: { replica: 2 } })).toContain('/postgresql must NOT have additional properties');
  expect(errors({ vectorStore: 'chroma' }).length).toBeGreaterThan(0);
  expect(errors({ redis: { sentinel: { replicas: 'three' } } })).toContain('/redis/sentinel/replicas must be integer');
  expect(schema.properties.vectorStore.description).toMatch(/^Where Dify keeps its vectors[\s\S]*Default: 'qdrant'$/);
  expect(schema.properties.dify.properties.version.description).toBeDefined();
});
