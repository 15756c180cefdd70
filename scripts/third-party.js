// Where the team's third-party material is (CRDs, chart packages, KubeBlocks' StorageProviders and addon charts):
// never in this repository, only beside it, for dev-time commands (npm run import, npm run bench) and the tests.
// DIFY_THIRD_PARTY names the folder; otherwise ../shared/third-party beside the checkout, where the team and CI keep
// it. A user's clone has none: callers then skip (tests, listed as skipped) or ask for a folder (import).
'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** The third-party folder, or undefined when there is none. */
function thirdPartyDir() {
  const given = process.env.DIFY_THIRD_PARTY;
  const dir = given ? path.resolve(given) : path.join(ROOT, '..', 'shared', 'third-party');
  return fs.existsSync(dir) ? dir : undefined;
}

module.exports = { thirdPartyDir };
