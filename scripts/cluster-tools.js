#!/usr/bin/env node
// The control plane of the cluster test tier (npm run test:cluster, docs/cluster-tests.md): kube-apiserver and
// kube-controller-manager built from the published k8s.io/kubernetes Go module through the module proxy, by the
// small build module in cluster/ (go.mod pins k8s.io/kubernetes and every k8s.io/* staging module it replaces; no
// third-party source is in the repository). The binaries go to a cache outside the repository:
// $DIFY_CLUSTER_TOOLS_DIR, else ~/.cache/dify-kubeblocks/cluster-<kubernetes version>/. etcd is Debian's
// etcd-server (/usr/bin/etcd; DIFY_ETCD names another), installed by .ci/run.
//
// The KubeBlocks operator (manager and data-protection controller) is built the same way, by
// scripts/cluster-tools/kubeblocks.js, into ~/.cache/dify-kubeblocks/kubeblocks-<version>/.
//
// Usage: node scripts/cluster-tools.js build   builds the binaries that are absent, the operator's and the plugin
//                                              daemons' too (a cold build takes many minutes)
//        node scripts/cluster-tools.js dir     prints the cache folder
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const MODULE_DIR = path.join(ROOT, 'cluster');
/** The commands built from k8s.io/kubernetes, by package. */
const COMMANDS = {
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
};

/** The k8s.io/kubernetes version that cluster/go.mod requires, e.g. v1.34.4. */
function kubernetesVersion() {
  const goMod = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const match = /^require k8s\.io\/kubernetes (v\d+\.\d+\.\d+)$/m.exec(goMod);
  if (!match) throw new Error('cluster/go.mod requires no exact k8s.io/kubernetes version');
  return match[1];
}

function toolsDir() {
  return process.env.DIFY_CLUSTER_TOOLS_DIR
    || path.join(os.homedir(), '.cache', 'dify-kubeblocks', `cluster-${kubernetesVersion()}`);
}

/** The path of a built command, or undefined when it has not been built. */
function clusterTool(name) {
  if (!COMMANDS[name]) throw new Error(`no cluster tool ${name}`);
  const file = path.join(toolsDir(), name);
  return fs.existsSync(file) ? file : undefined;
}

/** etcd: Debian's etcd-server, or DIFY_ETCD. */
function etcdPath() {
  const file = process.env.DIFY_ETCD || '/usr/bin/etcd';
  return fs.existsSync(file) ? file : undefined;
}

/** Builds the absent commands into the cache (into a staging folder first, so a stopped build leaves nothing half-made). */
function build() {
  const dir = toolsDir();
  const absent = Object.keys(COMMANDS).filter((name) => !fs.existsSync(path.join(dir, name)));
  if (absent.length === 0) {
    console.log(`cluster tools present in ${dir}`);
    return;
  }
  const version = kubernetesVersion();
  const [major, minor] = version.slice(1).split('.');
  // What the Kubernetes release build stamps in, so /version and the compatibility checks see the real version.
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`, `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
  ]);
  const staging = `${dir}.${process.pid}.tmp`;
  fs.mkdirSync(staging, { recursive: true });
  const started = Date.now();
  console.log(`building ${absent.join(', ')} from k8s.io/kubernetes ${version} into ${dir} (a cold build takes many minutes)`);
  try {
    execFileSync('go', ['build', '-ldflags', `-s -w ${stamp.join(' ')}`, '-o', `${staging}${path.sep}`, ...absent.map((name) => COMMANDS[name])], {
      cwd: MODULE_DIR,
      stdio: 'inherit',
      // -mod=readonly: go.sum is the committed one; a build never rewrites it.
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-trimpath -buildvcs=false -mod=readonly' },
    });
    fs.mkdirSync(dir, { recursive: true });
    for (const name of absent) fs.renameSync(path.join(staging, name), path.join(dir, name));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  console.log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

module.exports = { clusterTool, etcdPath, kubernetesVersion, toolsDir, COMMANDS };

if (require.main === module) {
  const command = process.argv[2];
  if (command === 'build') {
    build();
    require('./cluster-tools/kubeblocks').build();
    // The real plugin daemon of each supported Dify version (scripts/cluster-tools/plugin-daemon.js).
    require('./cluster-tools/plugin-daemon').buildPluginDaemons();
  }
  else if (command === 'dir') console.log(toolsDir());
  else {
    console.error('usage: node scripts/cluster-tools.js build|dir');
    process.exit(2);
  }
}
