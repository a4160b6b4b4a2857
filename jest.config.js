/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  // Suites that start processes or browsers live in their own projects (test:e2e, test:reliability).
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/reliability/'],
};
