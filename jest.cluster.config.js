// `npm run test:cluster`: the platform files applied to a real control plane (etcd, kube-apiserver,
// kube-controller-manager on loopback; docs/cluster-tests.md). The binaries are built by
// `node scripts/cluster-tools.js build` (.ci/run does it when they are absent); not part of `npm test`.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600000,
  // Each test file starts control planes of its own; one file at a time on 2 cores.
  maxWorkers: 1,
};
