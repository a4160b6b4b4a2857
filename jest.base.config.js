/**
 * What every Jest project of this repository shares (unit: jest.config.js, end-to-end: jest.e2e.config.js,
 * reliability: jest.reliability.config.js): Node, `*.test.ts` files compiled by ts-jest with tsconfig.json.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
