// The KubeBlocks operator of the cluster test tier's operator tests (docs/cluster-tests.md): its manager and its
// data-protection controller, built from the published github.com/apecloud/kubeblocks Go module through the module
// proxy by a small build module per release line, cluster/kubeblocks-<version>/ (go.mod requires the module at the
// tag; tools.go names cmd/manager and cmd/dataprotection). No third-party source is in the repository.
//
// The build also copies the KubeBlocks CRDs of that version out of the same module (its Helm chart's
// deploy/helm/crds/, which the module's zip holds), so the tests install exactly the CRDs of the operator they run.
// Everything goes to a cache outside the repository: $DIFY_KUBEBLOCKS_TOOLS_DIR/kubeblocks-<version>/, else
// ~/.cache/dify-kubeblocks/kubeblocks-<version>/.
//
// Only v1.0.2 is built: the module proxy refuses github.com/apecloud/kubeblocks v0.9.5 ("403 Forbidden: This module
// version is not available"), so the 0.9 line has no operator tests (docs/cluster-tests.md).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const MODULE = 'github.com/apecloud/kubeblocks';
/** The commands built from the module, by the name of the binary. */
const COMMANDS = {
  manager: `${MODULE}/cmd/manager`,
  dataprotection: `${MODULE}/cmd/dataprotection`,
};

/** The KubeBlocks versions that have a build module: cluster/kubeblocks-v1.0.2 gives v1.0.2. */
function kubeblocksVersions() {
  const clusterDir = path.join(ROOT, 'cluster');
  return fs.readdirSync(clusterDir)
    .filter((name) => /^kubeblocks-v\d+\.\d+\.\d+$/.test(name) && fs.existsSync(path.join(clusterDir, name, 'go.mod')))
    .map((name) => name.slice('kubeblocks-'.length));
}

function moduleDir(version) {
  const dir = path.join(ROOT, 'cluster', `kubeblocks-${version}`);
  const goMod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  // The folder's name is the version it builds; a go.mod that requires another would build the wrong operator.
  if (!new RegExp(`^require ${MODULE.replace(/\./g, '\\.')} ${version.replace(/\./g, '\\.')}$`, 'm').test(goMod)) {
    throw new Error(`cluster/kubeblocks-${version}/go.mod does not require ${MODULE} ${version}`);
  }
  return dir;
}

/** The cache folder of one version's binaries and CRDs. */
function kubeblocksDir(version) {
  const base = process.env.DIFY_KUBEBLOCKS_TOOLS_DIR || path.join(os.homedir(), '.cache', 'dify-kubeblocks');
  return path.join(base, `kubeblocks-${version}`);
}

/** The path of a built command (manager, dataprotection), or undefined when it has not been built. */
function kubeblocksTool(version, name) {
  if (!COMMANDS[name]) throw new Error(`no KubeBlocks command ${name}`);
  const file = path.join(kubeblocksDir(version), name);
  return fs.existsSync(file) ? file : undefined;
}

/** The folder of the version's CRDs (copied from the module by the build), or undefined when absent. */
function kubeblocksCrdDir(version) {
  const dir = path.join(kubeblocksDir(version), 'crds');
  return fs.existsSync(dir) ? dir : undefined;
}

const goEnv = () => ({ ...process.env, CGO_ENABLED: '0', GOFLAGS: '-trimpath -buildvcs=false -mod=readonly' });

/** Builds one version's absent commands and CRD copy (into a staging folder first: a stopped build leaves nothing). */
function buildVersion(version) {
  const dir = kubeblocksDir(version);
  const wanted = [...Object.keys(COMMANDS), 'crds'];
  const absent = wanted.filter((name) => !fs.existsSync(path.join(dir, name)));
  if (absent.length === 0) {
    console.log(`KubeBlocks ${version} present in ${dir}`);
    return;
  }
  const cwd = moduleDir(version);
  const staging = `${dir}.${process.pid}.tmp`;
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  console.log(`building ${absent.join(', ')} of ${MODULE} ${version} into ${dir} (a cold build takes many minutes)`);
  try {
    // The module as the proxy serves it: its folder in the module cache (downloaded if absent), and its commit.
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { cwd, env: goEnv(), encoding: 'utf8' }));
    const commands = absent.filter((name) => COMMANDS[name]);
    if (commands.length > 0) {
      // What the project's Makefile stamps in (LD_FLAGS at the tag).
      const stamp = [`-X ${MODULE}/version.Version=${version}`, `-X ${MODULE}/version.GitVersion=${version}`,
        `-X ${MODULE}/version.GitCommit=${info.Origin?.Hash ?? ''}`, `-X ${MODULE}/version.BuildDate=1970-01-01T00:00:00Z`];
      execFileSync('go', ['build', '-ldflags', `-s -w ${stamp.join(' ')}`, '-o', `${staging}${path.sep}`,
        ...commands.map((name) => COMMANDS[name])], { cwd, stdio: 'inherit', env: goEnv() });
    }
    if (absent.includes('crds')) {
      const source = path.join(info.Dir, 'deploy', 'helm', 'crds');
      fs.mkdirSync(path.join(staging, 'crds'));
      for (const file of fs.readdirSync(source).filter((name) => name.endsWith('.yaml'))) {
        fs.copyFileSync(path.join(source, file), path.join(staging, 'crds', file));
      }
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const name of absent) fs.renameSync(path.join(staging, name), path.join(dir, name));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  console.log(`built KubeBlocks ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function build() {
  for (const version of kubeblocksVersions()) buildVersion(version);
}

module.exports = { build, kubeblocksVersions, kubeblocksDir, kubeblocksTool, kubeblocksCrdDir, KUBEBLOCKS_COMMANDS: COMMANDS };
