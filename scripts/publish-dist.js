#!/usr/bin/env node
// Moves a finished synth from the staging folder into dist/. `cdk8s synth` empties its output folder before it runs
// the app, so synth writes to a staging folder and only a synth that succeeded replaces dist/: a failed one leaves
// dist/ exactly as it was.
'use strict';

const fs = require('fs');
const path = require('path');

const [staging, target] = process.argv.slice(2).map((dir) => path.resolve(dir));
if (!staging || !target) {
  console.error('usage: publish-dist.js STAGING_DIR DIST_DIR');
  process.exit(2);
}
const manifests = fs.existsSync(staging) ? fs.readdirSync(staging).filter((file) => file.endsWith('.k8s.yaml')) : [];
if (manifests.length === 0) {
  console.error(`publish-dist: ${staging} holds no manifests; ${path.basename(target)}/ left as it was`);
  process.exit(1);
}
const previous = `${target}.previous`;
fs.rmSync(previous, { recursive: true, force: true });
if (fs.existsSync(target)) fs.renameSync(target, previous);
fs.renameSync(staging, target);
fs.rmSync(previous, { recursive: true, force: true });
console.log(`publish-dist: ${manifests.sort().map((file) => `${path.basename(target)}/${file}`).join(', ')}`);
