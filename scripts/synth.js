#!/usr/bin/env node
// `npm run synth` after compiling: runs `cdk8s synth` on the compiled app into a fresh staging folder, and only when
// that succeeded moves the result into dist/. `cdk8s synth` empties its output folder before it runs the app, so
// pointing it at dist/ directly would lose dist/ whenever a config is refused.
//
// Environment: DIFY_CONFIG_DIR (config folder, default config/), DIST_DIR (default dist/).
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(ROOT, 'dist'));

function publish(staging, target) {
  const manifests = fs.readdirSync(staging).filter((file) => file.endsWith('.k8s.yaml')).sort();
  if (manifests.length === 0) throw new Error(`synth wrote no manifests; ${target} left as it was`);
  const previous = `${target}.previous`;
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, previous);
  fs.renameSync(staging, target);
  fs.rmSync(previous, { recursive: true, force: true });
  return manifests;
}

/** The app's own error lines say what is wrong; the CLI's stack trace of the failed child process adds nothing. */
function withoutCliTrace(stderr) {
  return stderr.replace(/^Error: command "[^"]*" at .* returned a non-zero exit code \d+\n(\s+at .*\n?)*/m, '');
}

function main() {
  // The staging folder sits beside dist/ so the final rename stays on one filesystem.
  const staging = fs.mkdtempSync(path.join(path.dirname(distDir), '.synth-'));
  try {
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
    const run = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', staging], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    process.stderr.write(withoutCliTrace(run.stderr ?? ''));
    if (run.status !== 0) {
      console.error(`synth failed; ${path.relative(process.cwd(), distDir) || distDir} left as it was`);
      return run.status ?? 1;
    }
    const manifests = publish(staging, distDir);
    console.log(manifests.map((file) => path.join(path.relative(process.cwd(), distDir), file)).join('\n'));
    return 0;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

process.exit(main());
