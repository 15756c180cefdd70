// `npm run test:package`: the packed package installed and used as a user would (__tests__/package/). Slow and it
// needs the npm registry, so it is not part of `npm test`; .ci/run runs both.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/package'],
  testPathIgnorePatterns: [],
  testTimeout: 600000,
};
