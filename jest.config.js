/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest.base.config'),
  roots: ['<rootDir>/test'],
  testTimeout: 30000,
  // Suites that start processes or browsers live in their own projects (test:e2e, test:reliability).
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/reliability/'],
};
