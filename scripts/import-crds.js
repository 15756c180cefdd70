#!/usr/bin/env node
// Regenerates imports/ from the upstream KubeBlocks CRDs: typed cdk8s classes (via `cdk8s import`) and the compact
// JSON schemas the tests validate synthesized objects against.
//
// Usage: npm run import [-- --crds DIR] [-- --out DIR]   (or KUBEBLOCKS_CRDS_DIR=DIR npm run import)
// DIR (default vendor/crds/kubeblocks, with its PROVENANCE) holds 1.0/ and 0.9/ sub-folders with the CRD files named
// as upstream names them. Upstream sources (byte-exact):
//   https://github.com/apecloud/kubeblocks/blob/v1.0.2/deploy/helm/crds/apps.kubeblocks.io_clusters.yaml
//   https://github.com/apecloud/kubeblocks/blob/v1.0.2/deploy/helm/crds/operations.kubeblocks.io_opsrequests.yaml
//   https://github.com/apecloud/kubeblocks/blob/v0.9.5/deploy/helm/crds/apps.kubeblocks.io_clusters.yaml
//   https://github.com/apecloud/kubeblocks/blob/v0.9.5/deploy/helm/crds/apps.kubeblocks.io_opsrequests.yaml
//
// Why the CRDs are trimmed first: the raw 1.0 Cluster CRD alone generates ~36k lines of TypeScript, most of it doc
// comments and the v1alpha1 version we never write. Keeping only the version we use and dropping descriptions keeps
// compile and synth fast (see scripts/bench.js). Each import gets its own module name, because two imports with the
// same module name and API group overwrite each other silently.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');

/** What we import: one entry per (release line, kind). `module` becomes imports/<module>-<group>.ts */
const IMPORTS = [
  { line: '1.0', file: 'apps.kubeblocks.io_clusters.yaml', version: 'v1', module: 'kb10-cluster' },
  { line: '1.0', file: 'operations.kubeblocks.io_opsrequests.yaml', version: 'v1alpha1', module: 'kb10-opsrequest' },
  { line: '0.9', file: 'apps.kubeblocks.io_clusters.yaml', version: 'v1alpha1', module: 'kb09-cluster' },
  { line: '0.9', file: 'apps.kubeblocks.io_opsrequests.yaml', version: 'v1alpha1', module: 'kb09-opsrequest' },
];

function option(argv, name) {
  const flag = argv.indexOf(name);
  return flag >= 0 && argv[flag + 1] ? path.resolve(argv[flag + 1]) : undefined;
}

function crdsDirFromArgs(argv) {
  return option(argv, '--crds')
    ?? (process.env.KUBEBLOCKS_CRDS_DIR ? path.resolve(process.env.KUBEBLOCKS_CRDS_DIR) : undefined)
    ?? path.join(ROOT, 'vendor', 'crds', 'kubeblocks');
}

/** Drops every string-valued `description` (documentation), keeping properties that happen to be named "description". */
function stripDescriptions(node) {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && typeof value === 'string') continue;
    out[key] = stripDescriptions(value);
  }
  return out;
}

function trimCrd(crd, keepVersion) {
  const version = crd.spec.versions.find((v) => v.name === keepVersion);
  if (!version) {
    const offered = crd.spec.versions.map((v) => v.name).join(', ');
    throw new Error(`${crd.metadata.name}: version ${keepVersion} not found (offered: ${offered})`);
  }
  const trimmed = { ...version, schema: stripDescriptions(version.schema) };
  return { ...crd, spec: { ...crd.spec, versions: [trimmed] } };
}

function writeSchema(entry, crd, importsDir) {
  const version = crd.spec.versions[0];
  const target = path.join(importsDir, 'schemas', entry.line, `${crd.spec.names.kind.toLowerCase()}.json`);
  const schemaFile = {
    apiVersion: `${crd.spec.group}/${version.name}`,
    kind: crd.spec.names.kind,
    openAPIV3Schema: version.schema.openAPIV3Schema,
  };
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(schemaFile) + '\n');
  return target;
}

/** One `cdk8s import` (the CLI takes one spec per run); resolves when it has written its module. */
function runCdk8sImport(entry, trimmedPath, importsDir) {
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  return new Promise((resolve, reject) => {
    execFile(cli, ['import', `${entry.module}:=${trimmedPath}`, '--language', 'typescript', '--output', importsDir,
      '--no-save', '--no-check-upgrade'], { cwd: ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, maxBuffer: 64 * 1024 * 1024 },
    (error, _stdout, stderr) => (error ? reject(new Error(`cdk8s import of ${entry.module} failed: ${stderr || error.message}`)) : resolve()));
  });
}

const HELP = `usage: npm run import [-- --crds DIR] [-- --out DIR]

Regenerates imports/ (typed cdk8s classes and the JSON schemas the tests validate against) from the KubeBlocks
CRDs: DIR (default vendor/crds/kubeblocks, or KUBEBLOCKS_CRDS_DIR) holds 0.9/ and 1.0/ with the upstream files.
--out writes somewhere else than imports/.`;

/** Every argument is a known option with its value; anything else is refused with the usage. */
function checkArgs(argv) {
  for (let i = 2; i < argv.length; i += 2) {
    if (!['--crds', '--out'].includes(argv[i]) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete argument ${argv[i]}; see npm run import -- --help`);
    }
  }
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  checkArgs(process.argv);
  const crdsDir = crdsDirFromArgs(process.argv);
  if (!fs.existsSync(crdsDir)) {
    console.error(`import: CRD directory ${crdsDir} does not exist (pass --crds DIR or set KUBEBLOCKS_CRDS_DIR)`);
    process.exit(1);
  }
  const importsDir = option(process.argv, '--out') ?? path.join(ROOT, 'imports');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-crds-'));
  fs.rmSync(importsDir, { recursive: true, force: true });
  fs.mkdirSync(importsDir, { recursive: true });
  try {
    const trimmed = IMPORTS.map((entry) => {
      const source = path.join(crdsDir, entry.line, entry.file);
      const crd = trimCrd(YAML.parse(fs.readFileSync(source, 'utf8')), entry.version);
      const trimmedPath = path.join(workDir, `${entry.module}.yaml`);
      fs.writeFileSync(trimmedPath, YAML.stringify(crd));
      return { entry, crd, trimmedPath };
    });
    // The imports write separate modules, so they run side by side: most of each run is the CLI starting up.
    await Promise.all(trimmed.map(({ entry, trimmedPath }) => runCdk8sImport(entry, trimmedPath, importsDir)));
    for (const { entry, crd } of trimmed) {
      const schemaPath = writeSchema(entry, crd, importsDir);
      console.log(`import: ${entry.line} ${crd.spec.names.kind} ${entry.version} -> ${path.relative(ROOT, schemaPath)}`);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`import: ${error.message}`);
  process.exit(1);
});
