// Type checking happens once, in `tsc -p tsconfig.test.json` (npm test runs it first); the transform only transpiles
// (esbuild, jest.transform.js), so the 50k generated lines in imports/ are not compiled again, slowly, by every worker.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The packed package's tests install from the registry and take minutes: npm run test:package. The cluster tier
  // starts a real control plane: npm run test:cluster.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/package/', '<rootDir>/__tests__/cluster/'],
  transform: {
    '^.+\\.ts$': '<rootDir>/jest.transform.js',
  },
  testTimeout: 120000,
  globalSetup: '<rootDir>/jest.global-setup.js',
  reporters: ['default', '<rootDir>/jest.skipped-reporter.js'],
  // Jest's default on 2 cores is one worker; the slow suites mostly wait on child processes, so two overlap well.
  maxWorkers: 2,
};
