/**
 * `npm run test:faults`: real gateways, simulator and database in their own processes; kept out of `npm test`.
 * Runs in band: the scenarios share one cluster and follow each other.
 */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
  testTimeout: 120_000,
  // The counts and every skipped scenario with its reason, as for `npm test`.
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
};
