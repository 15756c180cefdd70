/**
 * The commands' own rules, in this process: how arguments are read and refused, which folder is the project and
 * which output folder is refused. The commands themselves run end to end in __tests__/scripts/ and beside the
 * library areas they drive.
 */
import * as fs from 'fs';
import * as path from 'path';
import { distFolderProblems } from '../../cli/dist-folder';
import { parseArgs as initArgs } from '../../cli/commands/init';
import { parseArgs as importArgs } from '../../cli/commands/import-values';
import { parseArgs as opsArgs } from '../../cli/commands/ops';
import { parseArgs as planArgs } from '../../cli/commands/plan';
import { dispatch } from '../../cli/main';
import { PACKAGE_ROOT, projectAbove } from '../../cli/project-dir';
import { ROOT, tempDir } from '../helpers/pipeline';

describe('arguments', () => {
  test('ops reads positional arguments and valued options, --replicas as a number', () => {
    expect(opsArgs(['dify', 'hscale', 'redis', '--replicas', '3'])).toEqual({ positional: ['dify', 'hscale', 'redis'], options: { replicas: 3 } });
    expect(() => opsArgs(['--colour', 'red'])).toThrow('--colour: unknown option; the options are --cpu, --memory');
    expect(() => opsArgs(['dify', '--cpu'])).toThrow('--cpu: missing its value');
  });

  test('import-values takes one file, douban by default, and refuses another chart', () => {
    expect(importArgs(['values.yaml'])).toEqual({ chart: 'douban', file: 'values.yaml' });
    expect(importArgs(['--chart', 'boris', 'values.yaml', '--out', 'x.yaml'])).toEqual({ chart: 'boris', out: 'x.yaml', file: 'values.yaml' });
    expect(() => importArgs(['--chart', 'bitnami', 'values.yaml'])).toThrow('--chart: "bitnami" is not allowed: douban or boris');
    expect(() => importArgs([])).toThrow('name one values file');
    expect(() => importArgs(['values.yaml', '--out'])).toThrow('--out needs a value');
  });

  test('init refuses a name that cannot name a namespace, and a second folder', () => {
    expect(initArgs(['there', '--name', 'team-a'])).toEqual(expect.objectContaining({ name: 'team-a', chart: 'douban', folder: path.resolve(process.env.INIT_CWD ?? process.cwd(), 'there') }));
    expect(() => initArgs(['--name', 'Team_A'])).toThrow('--name: "Team_A" is not allowed: lowercase letters, digits and \'-\'');
    expect(() => initArgs(['one', 'two'])).toThrow('name at most one folder');
    expect(() => initArgs(['--toString', 'x'])).toThrow('unknown argument --toString');
  });

  test('plan takes --output text or json, --allow-destructive, --live and --field-manager with --live, nothing else', () => {
    expect(planArgs([])).toEqual({ output: 'text', allowDestructive: false, live: false });
    expect(planArgs(['--output', 'json', '--allow-destructive'])).toEqual({ output: 'json', allowDestructive: true, live: false });
    expect(planArgs(['--live', '--field-manager', 'argocd-controller'])).toEqual({ output: 'text', allowDestructive: false, live: true, fieldManager: 'argocd-controller' });
    expect(planArgs(['--output', 'yaml'])).toBe('--output: "yaml" is not allowed: text or json');
    expect(planArgs(['--field-manager', 'x'])).toBe('--field-manager: only with --live');
    expect(planArgs(['--live', '--field-manager'])).toBe('--field-manager: missing its value');
    expect(planArgs(['--prune'])).toMatch(/^unknown argument --prune; plan takes --allow-destructive, --live/);
  });

  test('the dispatcher answers help, version and an unknown command itself, with their exit codes', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(dispatch([])).toBe(2);
    expect(dispatch(['--help'])).toBe(0);
    expect(log.mock.calls[0][0]).toMatch(/^usage: npx dify-kubeblocks <command>/);
    expect(dispatch(['version'])).toBe(0);
    expect(log).toHaveBeenLastCalledWith(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(dispatch(['toString'])).toBe(2);
    expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/^dify-kubeblocks: "toString" is not a command; the commands are init, synth, /));
    log.mockRestore();
    error.mockRestore();
  });
});

describe('folders', () => {
  test('the package root is the checkout, and the project is the nearest folder with a cdk8s.yaml', () => {
    expect(PACKAGE_ROOT).toBe(ROOT);
    const project = tempDir('project-');
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'app: x\n');
    fs.mkdirSync(path.join(project, 'config', 'deep'), { recursive: true });
    expect(projectAbove(path.join(project, 'config', 'deep'))).toBe(project);
  });

  test('an output folder of platform files, a kustomization and notes is accepted; one of other things is refused in one line', () => {
    const dist = tempDir('dist-');
    for (const file of ['a.k8s.yaml', 'kustomization.yaml', 'notes.md', '.gitkeep']) fs.writeFileSync(path.join(dist, file), '');
    expect(distFolderProblems(dist, 'dist')).toEqual([]);
    for (const file of ['main.go', 'package.json', 'x.txt', 'y.yaml', 'z.py']) fs.writeFileSync(path.join(dist, file), '');
    expect(distFolderProblems(dist, 'dist')).toEqual([expect.stringMatching(/^dist: holds what synth never writes \(main\.go, package\.json, y\.yaml and 1 more\)/)]);
  });
});
