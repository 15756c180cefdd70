/**
 * Synth runs a bundle that esbuild makes without type-checking, cached by a hash of its inputs. Two promises hold
 * that together: synth never runs code older than the sources, and a type error still fails `npm test` (through
 * `npm run check`), even though synth itself would not notice it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { fingerprint, projectCopy, referenceDist, ROOT } from '../helpers/pipeline';

function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
}

describe('the build behind synth', () => {
  // One checkout serves two tests in order: first as a fresh clone (nothing built yet), then as a working tree
  // whose sources change.
  let project: string;

  beforeAll(() => {
    project = projectCopy();
  });

  test('cdk8s synth, as every cdk8s guide teaches it, works on a fresh checkout: dist/ as npm run synth writes it, a user\'s file kept', () => {
    expect(fs.existsSync(path.join(project, 'build'))).toBe(false);
    const dist = path.join(project, 'dist');
    fs.writeFileSync(path.join(dist, 'notes.md'), 'my own notes\n');
    const cdk8s = () => run(project, path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], { DIST_DIR: '' });

    const cli = cdk8s();

    expect(cli.status).toBe(0);
    expect(cli.stderr).not.toMatch(/^\s+at /m);
    expect(fingerprint(dist)).toEqual({ ...fingerprint(referenceDist()), 'notes.md': expect.any(String) });
    // The CLI's own folder, which it empties before every run, holds copies.
    expect(fingerprint(path.join(project, 'build', 'cdk8s.out'))).toEqual({ 'default.k8s.yaml': fingerprint(dist)['default.k8s.yaml'] });

    // A guard rail refuses a storage shrink as npm run synth does, and dist/ stays byte for byte.
    const config = path.join(project, 'config', 'default.yaml');
    const original = fs.readFileSync(config, 'utf8');
    const before = fingerprint(dist);
    fs.writeFileSync(config, `${original}\npostgresql: { storage: { size: 10Gi } }\n`);
    try {
      const refused = cdk8s();
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/postgresql\.storage\.size: "10Gi" is not allowed/);
      expect(fingerprint(dist)).toEqual(before);
    } finally {
      fs.writeFileSync(config, original);
    }
  });

  test('a source change is built before the next synth, and an unchanged source is not built again', () => {
    const synth = () => run(project, process.execPath, ['scripts/synth.js']);
    expect(synth().status).toBe(0);
    const bundle = fs.statSync(path.join(project, 'build', 'main.js')).mtimeMs;

    expect(synth().status).toBe(0);
    expect(fs.statSync(path.join(project, 'build', 'main.js')).mtimeMs).toBe(bundle);

    const config = path.join(project, 'lib', 'dify', 'dify-config.ts');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace("DEFAULT_HOST = 'dify.example.com'", "DEFAULT_HOST = 'changed.example.com'"));
    expect(synth().status).toBe(0);

    expect(fs.readFileSync(path.join(project, 'dist', 'default.k8s.yaml'), 'utf8')).toContain('host: changed.example.com');
  });

  test('npm run check (run first by npm test) covers every file of lib/ and cli/, and fails on a wrong type in one', () => {
    const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
    // The root files tsc reads from the config (what `tsc --listFilesOnly` starts from, without building a program).
    const configFile = path.join(ROOT, 'tsconfig.test.json');
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, ROOT, undefined, configFile);
    const checked = config.fileNames.map((file) => path.resolve(file));
    const sources = ['lib', 'cli'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts')).map((file) => path.join(ROOT, dir, file)));
    expect(sources.filter((file) => file.includes(`${path.sep}cli${path.sep}`))).not.toEqual([]);
    expect(sources.filter((file) => !checked.includes(file))).toEqual([]);

    // The same compiler settings on one lib/ file with a type error (checking all of a copy would take as long again
    // as npm test's own check).
    const copy = projectCopy();
    const naming = path.join(copy, 'lib', 'kubeblocks', 'naming.ts');
    fs.writeFileSync(naming, `${fs.readFileSync(naming, 'utf8')}\nexport const WRONG: number = 'not a number';\n`);
    fs.writeFileSync(path.join(copy, 'tsconfig.one.json'), JSON.stringify({ extends: './tsconfig.test.json', compilerOptions: { incremental: false }, include: [], files: ['lib/kubeblocks/naming.ts'] }));
    const check = run(copy, tsc, ['-p', 'tsconfig.one.json']);

    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain("lib/kubeblocks/naming.ts");
    expect(check.stdout).toContain("Type 'string' is not assignable to type 'number'");
    // esbuild does not check types: synth would still build it, which is why npm test checks first.
    expect(run(copy, process.execPath, ['scripts/build.js']).status).toBe(0);

    // The command-line tool's bundle holds cli/ only: a value imported from the library is refused when it is built.
    fs.appendFileSync(path.join(copy, 'cli', 'main.ts'), "\nexport { WRONG } from '../lib/kubeblocks/naming';\n");
    const cli = run(copy, process.execPath, ['scripts/build.js']);
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain('cli/ may import only types from the library (it runs it through build/main.js), but it imports lib/kubeblocks/naming.ts');
  });
});
