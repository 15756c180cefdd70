#!/usr/bin/env node
// `npx dify-kubeblocks init [folder]`: a new project of the user's own, holding only their platforms: package.json
// (this package at its exact version, and the cdk8s libraries it was tested with), cdk8s.yaml (so `cdk8s synth`
// runs the same pipeline), config/<name>.yaml (a commented starting point, or imported from a chart's values file),
// a snapshot test of the platforms' manifests, a .gitignore and a short README. Nothing is overwritten: a file that
// is already there stops init before anything is written.
'use strict';

const fs = require('fs');
const path = require('path');

const PACKAGE = require('../package.json');

const HELP = `usage: npx dify-kubeblocks init [folder] [--name NAME] [--from-values FILE --chart douban|boris] [--package SPEC]

Writes a new project into folder (default: the current one): package.json, cdk8s.yaml, config/NAME.yaml,
__tests__/manifests.test.js, .gitignore and README.md. Then: cd folder && npm install && npx dify-kubeblocks synth.

  --name NAME          the first platform: config/NAME.yaml, its namespace NAME (default: dify)
  --from-values FILE   import the platform from a community chart's values file instead of the starting point
  --chart douban|boris which chart the values file is for (default douban)
  --package SPEC       how package.json names this package (default: its exact version, ${PACKAGE.version}; a path
                       to a packed .tgz or a folder for a build of your own)`;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

class UsageError extends Error {}

function parseArgs(argv) {
  const options = { name: 'dify', chart: 'douban' };
  const positional = [];
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift();
    const key = { '--name': 'name', '--from-values': 'fromValues', '--chart': 'chart', '--package': 'package' }[arg];
    if (key) {
      if (rest.length === 0) throw new UsageError(`${arg} needs a value`);
      options[key] = rest.shift();
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
  if (!['douban', 'boris'].includes(options.chart)) throw new UsageError(`--chart: "${options.chart}" is not allowed: douban or boris`);
  return { ...options, folder: path.resolve(process.env.INIT_CWD ?? process.cwd(), positional[0] ?? '.') };
}

/** How package.json depends on this package: its exact version, or a packed file or folder given as a path. */
function packageSpec(given, folder) {
  if (!given) return PACKAGE.version;
  if (/^\d+\.\d+\.\d+/.test(given) || given.startsWith('file:')) return given;
  return `file:${path.relative(folder, path.resolve(process.env.INIT_CWD ?? process.cwd(), given)).split(path.sep).join('/') || '.'}`;
}

function packageJson(options) {
  const tested = { ...PACKAGE.peerDependencies, ...PACKAGE.devDependencies };
  const project = path.basename(options.folder).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'dify-platforms';
  return {
    name: project,
    version: '0.0.0',
    private: true,
    description: 'Dify platforms on KubeBlocks, synthesized by dify-kubeblocks: config/ in, dist/ out',
    scripts: {
      synth: 'dify-kubeblocks synth',
      plan: 'dify-kubeblocks plan',
      check: 'dify-kubeblocks synth --check',
      test: 'jest',
    },
    dependencies: {
      'dify-kubeblocks': packageSpec(options.package, options.folder),
      // The versions this package was built and tested with, exactly: cdk8s libraries are its peers.
      ...Object.fromEntries(Object.keys(PACKAGE.peerDependencies).map((name) => [name, tested[name]])),
    },
    devDependencies: { jest: PACKAGE.devDependencies.jest },
    jest: { testEnvironment: 'node' },
  };
}

function schemaLine() {
  return '# yaml-language-server: $schema=../node_modules/dify-kubeblocks/schema/platform-config.schema.json';
}

function startingConfig(name) {
  return `${schemaLine()}
# The platform "${name}": Dify with its data tier on KubeBlocks 1.0 (PostgreSQL, Redis with Sentinel, Qdrant),
# production defaults everywhere. Every setting is optional; the schema line above gives your editor completion and
# the documentation of each (the package's docs/ has them all). \`npx dify-kubeblocks synth\` writes dist/${name}.k8s.yaml.
namespace: ${name}
# dify:
#   version: 1.16.1          # unset, you get this package version's default, and a version bump shows it in plan
#   host: dify.example.com
#   tls: { enabled: true, secretName: dify-tls }
#   ingress: { className: nginx }
#   storage: { type: s3, s3: { endpoint: https://s3.eu-west-1.amazonaws.com, bucket: my-dify, credentialsSecret: dify-s3 } }
# postgresql:
#   replicas: 3
#   storage: { size: 100Gi }
# backupRepo: { provider: s3, bucket: kb-backups, region: eu-west-1, credentialsSecret: { name: kb-backup-s3 } }
`;
}

const SNAPSHOT_TEST = `// Your platforms' manifests, synthesized anew from config/ by the installed dify-kubeblocks and compared with the
// snapshot in __tests__/__snapshots__/. A change to a config, or a new package version that changes what is
// written, fails here first: review the difference, then accept it with \`npx jest -u\` and commit.
// (\`npx dify-kubeblocks synth --check\` checks that dist/ is committed as synth writes it.)
const path = require('path');
const { loadPlatformConfigs, platformYaml } = require('dify-kubeblocks');

const configs = loadPlatformConfigs(path.join(__dirname, '..', 'config'));

test.each(configs.map((config) => [config.name, config]))('the %s platform', (_name, config) => {
  expect(platformYaml(config.name, config.props)).toMatchSnapshot();
});
`;

function readme(options) {
  return `# ${path.basename(options.folder)}

Dify platforms on Kubernetes, their data tier run by KubeBlocks, written by
[dify-kubeblocks](https://www.npmjs.com/package/dify-kubeblocks) from the configs in \`config/\` into \`dist/\`.

\`\`\`bash
npm install                       # once; then after every change of package.json
npx dify-kubeblocks plan          # what a change of config/ (or of the package version) would do, field by field
npx dify-kubeblocks synth         # write dist/ (guard rails first: nothing that loses data without saying so)
npm test                          # the manifests against their snapshot
kubectl apply -k dist/            # or let Argo CD or Flux take dist/ from git
\`\`\`

- One file per platform in \`config/\` gives \`dist/<name>.k8s.yaml\`; commit \`dist/\` with every config change.
  \`npx dify-kubeblocks synth --check\` (in CI) fails when \`dist/\` is not what synth writes.
- Upgrade: change the version of \`dify-kubeblocks\` in package.json, \`npm install\`, then \`npx dify-kubeblocks plan\`
  shows every change the new version makes (a new default Dify version, image tags) before anything is written.
- Day-2 operations: \`npx dify-kubeblocks ops <platform> <operation> <cluster>\` prints a KubeBlocks OpsRequest.
`;
}

const GITIGNORE = 'node_modules/\nbuild/\n.synth-*/\n';

const CDK8S_YAML = `# \`cdk8s synth\` runs the same pipeline as \`npx dify-kubeblocks synth\` (guard rails, all files or none into dist/).
language: typescript
app: node node_modules/dify-kubeblocks/scripts/cdk8s-app.js
output: build/cdk8s.out
`;

/** The files init writes, relative to the folder, with their content. */
function projectFiles(options) {
  let config = startingConfig(options.name);
  let notes = [];
  if (options.fromValues) {
    const { importedConfig, readValues } = require('./import-values');
    const imported = importedConfig(readValues(options.fromValues), options.fromValues, options.chart, path.join(options.folder, 'config'));
    config = imported.text.replace(/^# yaml-language-server: .*$/m, schemaLine());
    notes = imported.notes;
  }
  return {
    files: {
      'package.json': `${JSON.stringify(packageJson(options), null, 2)}\n`,
      'cdk8s.yaml': CDK8S_YAML,
      [path.join('config', `${options.name}.yaml`)]: config,
      [path.join('__tests__', 'manifests.test.js')]: SNAPSHOT_TEST,
      '.gitignore': GITIGNORE,
      'README.md': readme(options),
    },
    notes,
  };
}

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
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
  const shown = path.relative(process.env.INIT_CWD ?? process.cwd(), options.folder) || '.';
  console.log(`wrote ${Object.keys(files).map((file) => path.join(shown, file)).join(', ')}`);
  console.log(`next: ${shown === '.' ? '' : `cd ${shown} && `}npm install && npx dify-kubeblocks synth`);
  return 0;
}

/** The command: its exit code set, a refused argument said in one line. */
function run(argv) {
  try {
    process.exitCode = main(argv);
  } catch (error) {
    console.error(`init: ${error instanceof UsageError || !process.env.DEBUG ? error.message : error.stack}`);
    process.exitCode = 2;
  }
}

module.exports = { run };

if (require.main === module) run(process.argv.slice(2));
