// Jest's TypeScript transform: esbuild transpiles each file (the same compiler that builds the app for synth).
// Types are not checked here: `npm test` runs `tsc -p tsconfig.test.json` first, once for the whole project.
'use strict';

const crypto = require('crypto');
const { transformSync, version } = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', keepNames: true };

module.exports = {
  process(source, filename) {
    return { code: transformSync(source, { ...OPTIONS, sourcefile: filename }).code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update(`${version}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`).digest('hex');
  },
};
