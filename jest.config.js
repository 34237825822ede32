/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest'],
    // jose 6 ships ES modules only; jest's CommonJS runtime needs them transformed like our own sources.
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // One DynamoDB Local (a JVM) for the whole run; each test file gets its own table on it (tools/dev/local-table.ts).
  globalSetup: '<rootDir>/test/helpers/dynamodb-local-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/dynamodb-local-teardown.ts',
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
