#!/usr/bin/env node
// The app command of cdk8s.yaml, so that `cdk8s synth` works on a fresh clone: it builds the app when a source
// changed (the same cached bundle `npm run synth` uses) and runs it into the folder the CLI gives (CDK8S_OUTDIR).
// The bytes are the same as `npm run synth` writes; what `npm run synth` adds is the staging folder and the
// file-by-file publishing that keep dist/ whole when synth fails or is killed (the CLI empties its output first).
'use strict';

const { build, loadApp, provideHelm } = require('./build');

build();
const { app, saveCodeCache } = loadApp();
// A config the app refuses is said by app.main(), in its own lines.
let configs = [];
try {
  configs = app.loadConfigs({});
} catch {
  // app.main() reports it.
}
provideHelm(app, configs);
app.main();
saveCodeCache();
