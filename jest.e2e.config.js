/**
 * End-to-end suite: a real Teams client (Agents Playground) in headless Chromium. Run it with
 * `npm run test:e2e`, which also isolates the network (test/e2e/run.sh).
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.base.config'),
  roots: ['<rootDir>/test/e2e'],
  // The jest process itself may not reach beyond loopback either.
  setupFiles: ['<rootDir>/test/e2e/support/network-guard.js'],
  maxWorkers: 1,
  testTimeout: 240000,
};
