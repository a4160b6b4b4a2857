/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest.base.config'),
  roots: ['<rootDir>/test'],
  testTimeout: 30000,
  // Suites that start processes or browsers live in their own projects (test:e2e, test:reliability).
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/reliability/'],
  // @microsoft/app-manifest (loaded by the Toolkit code in test/toolkit.test.ts) requires strip-bom 5, an ES
  // module that Jest cannot require before Node 24.9; strip-bom 4 is the same function as CommonJS.
  moduleNameMapper: { '^strip-bom$': '<rootDir>/node_modules/strip-bom' },
};
