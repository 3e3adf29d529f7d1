/** Unit specs live beside the code; end-to-end specs in test/ start the real app. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  setupFiles: ['reflect-metadata'],
  transform: { '^.+\\.ts$': tsJest },
};

module.exports = {
  testTimeout: 30000,
  // The summary prints the counts and every skipped test with its reason, not only with --verbose.
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src', '<rootDir>/docker'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/persistence/'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    // Starts its own engine (MNIS_RESTART_ENGINE=ferretdb|mongo-java-server) since it restarts it; skips visibly without.
    {
      ...common,
      displayName: 'persistence',
      roots: ['<rootDir>/test/persistence'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
