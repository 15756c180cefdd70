// The plugin daemon of the cluster test tier (docs/cluster-tests.md, __tests__/cluster/plugin-daemon.test.ts):
// langgenius/dify-plugin-daemon built from its published Go module through the module proxy, one small build module
// per daemon tag in cluster/plugin-daemon-<tag>/ (go.mod requires the tag's commit by pseudo-version; tools.go names
// the commands). Never built from a copy of the repository; no third-party source is in ours. The binaries go to a
// cache outside the repository: $DIFY_PLUGIN_DAEMON_DIR/<tag>/, else ~/.cache/dify-kubeblocks/plugin-daemon-<tag>/.
//
// When the module proxy refuses the module (it answers 403, 404 or 410 for it), the build writes nothing but a
// record of that answer, <cache>.not-served, which the tests name in their skipped line: a component that cannot be
// had is said, never faked. Any other failure stops the build.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CLUSTER_DIR = path.join(ROOT, 'cluster');
const MODULE = 'github.com/langgenius/dify-plugin-daemon';

/** The daemon tags with a build module, e.g. ['0.5.3', '0.6.0']. */
function daemonTags() {
  return fs.readdirSync(CLUSTER_DIR)
    .map((name) => /^plugin-daemon-(\d+\.\d+\.\d+)$/.exec(name))
    .filter(Boolean)
    .map((match) => match[1])
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function moduleDir(tag) {
  return path.join(CLUSTER_DIR, `plugin-daemon-${tag}`);
}

/** The pseudo-version of the daemon that the tag's go.mod requires. */
function daemonModuleVersion(tag) {
  const goMod = fs.readFileSync(path.join(moduleDir(tag), 'go.mod'), 'utf8');
  const match = new RegExp(`^require ${MODULE.replace(/[./]/g, '\\$&')} (v\\S+)$`, 'm').exec(goMod);
  if (!match) throw new Error(`cluster/plugin-daemon-${tag}/go.mod requires no exact ${MODULE} version`);
  return match[1];
}

/** The commands a tag's image runs, by the package they are built from (tools.go names the same). */
function daemonCommands(tag) {
  const source = fs.readFileSync(path.join(moduleDir(tag), 'tools.go'), 'utf8');
  const commands = [...source.matchAll(/_ "(github\.com\/langgenius\/dify-plugin-daemon\/cmd\/([a-z]+))"/g)];
  return Object.fromEntries(commands.map(([, pkg, name]) => [name, pkg]));
}

function daemonDir(tag) {
  return process.env.DIFY_PLUGIN_DAEMON_DIR
    ? path.join(process.env.DIFY_PLUGIN_DAEMON_DIR, tag)
    : path.join(os.homedir(), '.cache', 'dify-kubeblocks', `plugin-daemon-${tag}`);
}

/** The built command (server, commandline) of a tag, or undefined when it has not been built. */
function daemonTool(tag, name) {
  const file = path.join(daemonDir(tag), name);
  return fs.existsSync(file) ? file : undefined;
}

/** The module proxy's refusal the last build recorded for this tag, or undefined. */
function notServed(tag) {
  const file = `${daemonDir(tag)}.not-served`;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

function go(args, cwd) {
  const result = spawnSync('go', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
    // GOTOOLCHAIN=local: the machine's Go (1.26.8 or newer) builds every tag; no toolchain is fetched.
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-trimpath -buildvcs=false -mod=mod' },
  });
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.error) throw result.error;
  return result;
}

/** The proxy's answer when it refuses the daemon module, in one line (address, status, its words), else undefined. */
function refusal(stderr) {
  const escaped = MODULE.replace(/[./]/g, '\\$&');
  const line = new RegExp(`reading (\\S+${escaped}/@v/\\S+): ((?:403|404|410)[^\\n]*)`).exec(stderr);
  if (!line) return undefined;
  const answer = /server response: (.*)$/m.exec(stderr);
  return `the module proxy answered ${line[2].trim()} for ${line[1]}${answer ? ` ("${answer[1].trim()}")` : ''}`;
}

/** Builds one tag into its cache folder, through a staging folder so a stopped build leaves nothing half-made. */
function buildTag(tag) {
  const dir = daemonDir(tag);
  const commands = daemonCommands(tag);
  const absent = Object.keys(commands).filter((name) => !fs.existsSync(path.join(dir, name)));
  if (absent.length === 0) {
    console.log(`plugin daemon ${tag} present in ${dir}`);
    return;
  }
  const version = daemonModuleVersion(tag);
  // An old refusal says nothing about this try: only this build's answer is recorded.
  fs.rmSync(`${dir}.not-served`, { force: true });
  const staging = `${dir}.${process.pid}.tmp`;
  const src = path.join(staging, 'module');
  fs.mkdirSync(src, { recursive: true });
  for (const file of ['go.mod', 'go.sum', 'tools.go']) {
    if (fs.existsSync(path.join(moduleDir(tag), file))) fs.copyFileSync(path.join(moduleDir(tag), file), path.join(src, file));
  }
  const started = Date.now();
  console.log(`building plugin daemon ${tag} (${MODULE}@${version}: ${absent.join(', ')}) into ${dir}`);
  try {
    // go.sum is made here, outside the repository, checked against the checksum database (GOSUMDB).
    let result = go(['mod', 'tidy'], src);
    if (result.status === 0) {
      const ldflags = `-s -w -X '${MODULE}/pkg/manifest.VersionX=${tag}' -X 'main.VersionX=${tag}'`;
      result = go(['build', '-ldflags', ldflags, '-o', `${staging}${path.sep}`, ...absent.map((name) => commands[name])], src);
    }
    if (result.status !== 0) {
      const refused = refusal(result.stderr ?? '');
      if (!refused) throw new Error(`building plugin daemon ${tag} failed (go exited ${result.status})`);
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.writeFileSync(`${dir}.not-served`, `${new Date().toISOString().slice(0, 10)}: ${refused}\n`);
      console.log(`plugin daemon ${tag} NOT BUILT: ${refused}`);
      return;
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const name of absent) fs.renameSync(path.join(staging, name), path.join(dir, name));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  console.log(`plugin daemon ${tag} built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Builds every tag's absent commands. */
function buildPluginDaemons() {
  for (const tag of daemonTags()) buildTag(tag);
}

module.exports = { buildPluginDaemons, daemonTags, daemonTool, daemonCommands, daemonModuleVersion, notServed, refusal, MODULE };
