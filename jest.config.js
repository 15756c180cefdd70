// Type checking happens once, in `tsc -p tsconfig.test.json` (npm test runs it first); ts-jest only transpiles, so
// the 50k generated lines in imports/ are not type-checked again by every worker.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
  },
  testTimeout: 120000,
};
