/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        // Packages load when a file first uses them, so a file that never reaches MySQL, Redis
        // or a JWT does not load their clients: a test file spends most of its time outside its
        // tests loading modules, every file again. Our own (relative) imports stay eager, in the
        // build's order; only node_modules are deferred.
        module: { type: 'commonjs', lazy: true },
      },
    ],
  },
  setupFiles: ['reflect-metadata'],
  // Test files mostly wait on HTTP and the database, so one per core, not jest's cores - 1
  // (measured on 2 cores: 1 worker 122 s, 2 workers 64 s, 3 workers 66 s).
  maxWorkers: '100%',
  testTimeout: 60000,
};
