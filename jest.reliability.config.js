/**
 * The reliability and security suite (npm run test:reliability): hostile inputs, faults, crashes, races and
 * auth against the real bot (in process and as compiled processes from lib/, which the script builds first).
 * Suites run one at a time: they start processes and a throw-away PostgreSQL cluster, and the machine is small.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest.base.config'),
  roots: ['<rootDir>/test/reliability'],
  maxWorkers: 1,
  testTimeout: 60_000,
};
