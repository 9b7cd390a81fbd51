/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Test files run in plain Node worker threads that keep their module cache from one file to
  // the next (jest-light-runner), instead of jest's fresh module registry per file: typeorm,
  // Apollo, type-graphql, express and our own modules load, and the schema is built, once per
  // worker. What that gives up: jest.mock (nothing uses it; inject instead) and jest's
  // per-file sandbox (module state lives as long as the worker: keep it per server).
  runner: '<rootDir>/test/support/light-runner.mjs',
  setupFiles: ['<rootDir>/test/support/register-typescript.mjs'],
  // Timeouts, and jest's count of skipped tests, which the light runner lacks (see the file).
  setupFilesAfterEnv: ['<rootDir>/test/support/light-globals.mjs'],
  // Test files mostly wait on HTTP and the database, so one per core, not jest's cores - 1
  // (measured on 2 cores: 1 worker 122 s, 2 workers 64 s, 3 workers 66 s).
  maxWorkers: '100%',
  testTimeout: 60000,
};
