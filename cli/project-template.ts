/**
 * The files `init` writes into a new project of the user's own: package.json (this package at its exact version,
 * and the cdk8s libraries it was tested with), cdk8s.yaml (so `cdk8s synth` runs the same pipeline), a starting
 * config, a snapshot test of the platforms' manifests, a .gitignore and a short README.
 */
import * as path from 'path';
import { callerDir } from './library';
import { packageJson as ownPackage } from './project-dir';

export interface ProjectOptions {
  /** The project's folder, absolute. */
  readonly folder: string;
  /** The first platform's name. */
  readonly name: string;
  /** How package.json names this package (`--package`). @default - its exact version */
  readonly package?: string;
}

/** How package.json depends on this package: its exact version, or a packed file or folder given as a path. */
export function packageSpec(given: string | undefined, folder: string): string {
  if (!given) return ownPackage().version;
  if (/^\d+\.\d+\.\d+/.test(given) || given.startsWith('file:')) return given;
  return `file:${path.relative(folder, path.resolve(callerDir(), given)).split(path.sep).join('/') || '.'}`;
}

export function projectPackageJson(options: ProjectOptions): object {
  const PACKAGE = ownPackage();
  const tested: Record<string, string> = { ...PACKAGE.peerDependencies, ...PACKAGE.devDependencies };
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

/** The first line of a config: the package's JSON Schema, for the editor. */
export function schemaLine(): string {
  return '# yaml-language-server: $schema=../node_modules/dify-kubeblocks/schema/platform-config.schema.json';
}

export function startingConfig(name: string): string {
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

export const SNAPSHOT_TEST = `// Your platforms' manifests, synthesized anew from config/ by the installed dify-kubeblocks and compared with the
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

export function readme(options: ProjectOptions): string {
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

export const GITIGNORE = 'node_modules/\nbuild/\n.synth-*/\n';

export const CDK8S_YAML = `# \`cdk8s synth\` runs the same pipeline as \`npx dify-kubeblocks synth\` (guard rails, all files or none into dist/).
language: typescript
app: node node_modules/dify-kubeblocks/scripts/cdk8s-app.js
output: build/cdk8s.out
`;
