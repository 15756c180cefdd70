import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, DEFAULT_PLATFORM, loadPlatformConfigs, parseConfigText } from '../../lib';

function configDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dify-config-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('loading config files', () => {
  test('a folder without config files gives the default platform', () => {
    expect(loadPlatformConfigs(configDir({ 'README.md': '# notes' }))).toEqual([DEFAULT_PLATFORM]);
  });

  test('each config file becomes a platform named after it, in name order', () => {
    const dir = configDir({ 'prod.yaml': 'namespace: dify-prod\n', 'dev.yml': '# all defaults\n' });

    expect(loadPlatformConfigs(dir).map((config) => [config.name, config.props])).toEqual([
      ['dev', {}],
      ['prod', { namespace: 'dify-prod' }],
    ]);
  });

  test('upper-case extensions are read, not silently skipped', () => {
    const dir = configDir({ 'prod.YAML': 'namespace: dify-prod\n', 'dev.YML': '' });

    expect(loadPlatformConfigs(dir).map((config) => config.name)).toEqual(['dev', 'prod']);
  });

  test('a folder named explicitly must hold a config', () => {
    expect(problemsOf(() => loadPlatformConfigs(configDir({ 'README.md': '' }), { explicit: true, displayDir: 'envs' }))).toEqual([
      'envs: the config folder holds no .yaml or .yml file (unset DIFY_CONFIG_DIR for the built-in default platform)',
    ]);
  });

  test('YAML that expands aliases without end is refused, not expanded', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((name, i) => {
      const previous = String.fromCharCode(97 + i);
      return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`;
    })].join('\n');

    expect(problemsOf(() => parseConfigText(laughs, 'laughs.yaml'))).toEqual([expect.stringMatching(/^laughs\.yaml: not usable YAML: Excessive alias count/)]);
  });

  test('YAML that does not parse is refused with its position', () => {
    expect(problemsOf(() => parseConfigText('postgresql:\n  replicas: [2\n', 'bad.yaml'))).toEqual([
      expect.stringMatching(/^bad\.yaml:\d+:\d+: not valid YAML: /),
    ]);
  });

  test('a key given twice is refused', () => {
    expect(problemsOf(() => parseConfigText('namespace: a\nnamespace: b\n', 'twice.yaml'))).toEqual([
      'twice.yaml:2:1: not valid YAML: Map keys must be unique',
    ]);
  });

  test('a file that is not a mapping is refused', () => {
    expect(problemsOf(() => parseConfigText('- postgresql\n', 'list.yaml'))).toEqual([
      'list.yaml: (top level): ["postgresql"] is not allowed: a config file is a mapping of settings (or empty)',
    ]);
  });

  test('a file name that cannot name an output file is refused', () => {
    const dir = configDir({ 'Prod.v2.yaml': '' });

    expect(problemsOf(() => loadPlatformConfigs(dir))).toEqual([
      `${path.join(dir, 'Prod.v2.yaml')}: file name: "Prod.v2.yaml" is not allowed: lowercase letters, digits and "-" (no other dots), ending in .yaml or .yml`,
    ]);
  });

  test('problems in several files are all reported', () => {
    const dir = configDir({ 'a.yaml': 'postgresql: {replicas: 0}\n', 'b.yaml': 'bogus: 1\n', 'c.yaml': '' });

    expect(problemsOf(() => loadPlatformConfigs(dir))).toHaveLength(2);
  });
});

describe('YAML that is not plain data is refused whole, in one line that quotes none of it', () => {
  const secret = 'sk-live-0123456789abcdef';
  test.each([
    ['an unknown tag', `dify:\n  host: !custom ${secret}\n`, /env\.yaml:2:9: not valid YAML: Unresolved tag: !custom$/],
    ['a __proto__ key', `dify:\n  __proto__: { host: ${secret} }\n`, /env\.yaml: dify\.__proto__: a key named __proto__ is no setting, and is refused$/],
    ['a constructor key in a list', `dify:\n  backendEnv:\n    - constructor: { name: ${secret} }\n`, /env\.yaml: dify\.backendEnv\[0\]\.constructor: a key named constructor is no setting/],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`, /env\.yaml: not usable YAML: .*at most 100 alias expansions/],
  ])('%s', (_case, text, line) => {
    const problems = problemsOf(() => parseConfigText(text, 'env.yaml'));
    expect(problems).toEqual([expect.stringMatching(line)]);
    expect(problems.join('\n')).not.toContain(secret);
  });

  test.each([
    ['latin-1 bytes', Buffer.from('dify:\n  host: caf\xe9.example.org\n', 'latin1'), /env\.yaml: is not UTF-8 text \(save it as UTF-8\)$/],
    ['control characters (a binary, an environment dump)', Buffer.from(`PATH=/bin\0SECRET=${secret}\0`), /env\.yaml: holds control characters: it is no YAML file a person wrote$/],
  ])('a file with %s', (_case, bytes, line) => {
    const dir = configDir({});
    fs.writeFileSync(path.join(dir, 'env.yaml'), bytes);
    const problems = problemsOf(() => loadPlatformConfigs(dir, { displayDir: 'envs' }));
    expect(problems).toEqual([expect.stringMatching(line)]);
    expect(problems.join('\n')).not.toContain(secret);
  });

  test('a config linked to /proc/self/environ is refused without quoting the environment', () => {
    const dir = configDir({});
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'env.yaml'));
    const problems = problemsOf(() => loadPlatformConfigs(dir, { displayDir: 'envs' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^envs\/env\.yaml: /);
    expect(problems[0]).not.toContain(process.env.PATH!);
  });
});
