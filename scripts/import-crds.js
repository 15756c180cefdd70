#!/usr/bin/env node
// Regenerates imports/ from the upstream KubeBlocks CRDs: typed cdk8s classes (via `cdk8s import`) and the compact
// JSON schemas the tests validate synthesized objects against.
//
// Usage: npm run import [-- --crds DIR | --download] [-- --out DIR]
// The CRDs are the ones cdk8s.yaml lists under `imports:` by their upstream URLs at the release tags (what
// `cdk8s import` reads). With network they are downloaded from there; offline a folder stands in for them, laid out
// as <DIR>/kubeblocks/<line>/<file name of the URL> (default: the team's third-party crds/ folder beside the
// checkout when it exists, see scripts/third-party.js). The repository holds none of these files.
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
const { thirdPartyDir } = require('./third-party');

const ROOT = path.resolve(__dirname, '..');

/**
 * What each module of cdk8s.yaml's `imports:` is: its KubeBlocks release line and the one API version kept.
 * `module` becomes imports/<module>-<group>.ts.
 */
const MODULES = {
  'kb10-cluster': { line: '1.0', version: 'v1' },
  'kb10-opsrequest': { line: '1.0', version: 'v1alpha1' },
  'kb09-cluster': { line: '0.9', version: 'v1alpha1' },
  'kb09-opsrequest': { line: '0.9', version: 'v1alpha1' },
};

/** A CRD file is a few MB; anything far larger is not one. */
const MAX_CRD_BYTES = 16 * 1024 * 1024;

/** cdk8s.yaml's `imports:` (`<module>:=<url>`), each matched with what MODULES says of it. */
function importsOf(cdk8sYaml) {
  const listed = YAML.parse(fs.readFileSync(cdk8sYaml, 'utf8'))?.imports ?? [];
  const entries = listed.map((spec) => {
    const match = /^([a-z0-9-]+):=(https?:\/\/\S+\.yaml)$/.exec(String(spec));
    if (!match || !MODULES[match[1]]) {
      throw new Error(`${path.basename(cdk8sYaml)}: imports entry "${spec}" must be <module>:=<URL of a .yaml>, module one of ${Object.keys(MODULES).join(', ')}`);
    }
    return { module: match[1], url: match[2], file: match[2].split('/').pop(), ...MODULES[match[1]] };
  });
  const missing = Object.keys(MODULES).filter((module) => !entries.some((entry) => entry.module === module));
  if (missing.length > 0) throw new Error(`${path.basename(cdk8sYaml)}: imports lists no ${missing.join(', ')}`);
  return entries;
}

function option(argv, name) {
  const flag = argv.indexOf(name);
  return flag >= 0 && argv[flag + 1] ? path.resolve(argv[flag + 1]) : undefined;
}

/** The folder standing in for the URLs, or undefined to download them. */
function crdsDirFromArgs(argv) {
  if (argv.includes('--download')) return undefined;
  const third = thirdPartyDir();
  return option(argv, '--crds') ?? (third ? path.join(third, 'crds') : undefined);
}

/** One CRD's text: from the stand-in folder, or downloaded from its URL, never more than MAX_CRD_BYTES. */
async function readCrd(entry, crdsDir) {
  if (crdsDir) {
    const file = path.join(crdsDir, 'kubeblocks', entry.line, entry.file);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing (the folder stands in for ${entry.url})`);
    if (fs.statSync(file).size > MAX_CRD_BYTES) throw new Error(`${file} is over ${MAX_CRD_BYTES} bytes: not a CRD`);
    return fs.readFileSync(file, 'utf8');
  }
  const response = await fetch(entry.url, { signal: AbortSignal.timeout(120000) }).catch((error) => {
    throw new Error(`${entry.url}: ${error.cause?.message ?? error.message} (offline? pass --crds DIR, see --help)`);
  });
  if (!response.ok) throw new Error(`${entry.url}: HTTP ${response.status}`);
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_CRD_BYTES) throw new Error(`${entry.url} is over ${MAX_CRD_BYTES} bytes: not a CRD`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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

const HELP = `usage: npm run import [-- --crds DIR | --download] [-- --out DIR]

Regenerates imports/ (typed cdk8s classes and the JSON schemas the tests validate against) from the KubeBlocks
CRDs that cdk8s.yaml lists under imports: by their upstream URLs.
  --crds DIR   read them from DIR/kubeblocks/<0.9|1.0>/<file name of the URL> instead of downloading them
               (default: the third-party crds/ folder beside the checkout, or DIFY_THIRD_PARTY's, when there is one)
  --download   download them from their URLs even when such a folder exists
  --out DIR    write somewhere else than imports/`;

/** Every argument is a known option with its value; anything else is refused with the usage. */
function checkArgs(argv) {
  for (let i = 2; i < argv.length; i += 1) {
    if (argv[i] === '--download') continue;
    if (!['--crds', '--out'].includes(argv[i]) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete argument ${argv[i]}; see npm run import -- --help`);
    }
    i += 1;
  }
  if (argv.includes('--download') && argv.includes('--crds')) throw new Error('--crds and --download exclude each other');
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  checkArgs(process.argv);
  const entries = importsOf(path.join(ROOT, 'cdk8s.yaml'));
  const crdsDir = crdsDirFromArgs(process.argv);
  if (crdsDir && !fs.existsSync(crdsDir)) throw new Error(`--crds: ${crdsDir} does not exist`);
  const texts = await Promise.all(entries.map((entry) => readCrd(entry, crdsDir)));
  console.log(`import: the CRDs of cdk8s.yaml, ${crdsDir ? `from ${crdsDir}` : 'downloaded'}`);
  const importsDir = option(process.argv, '--out') ?? path.join(ROOT, 'imports');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-crds-'));
  fs.rmSync(importsDir, { recursive: true, force: true });
  fs.mkdirSync(importsDir, { recursive: true });
  try {
    const trimmed = entries.map((entry, index) => {
      const crd = trimCrd(YAML.parse(texts[index]), entry.version);
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
