// Test kinds follow STYLE.md: unit (no I/O), contract (every adapter of a port),
// integration (real engines started by services/), e2e (the HTTP server as a client sees it).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const ONNX_ENV = '<rootDir>/test/unit/embedding/onnx-test-environment.js';
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    // weaviate-client's CommonJS build requires uuid, which ships ESM only, as do hyparquet and its writer
    // (the Parquet export); Node loads them natively (require of ESM), jest's module runtime does not, so
    // jest compiles them to CommonJS.
    '/node_modules/(uuid|hyparquet|hyparquet-writer)/.+\\.js$': ['@swc/jest', { swcrc: false, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(uuid|hyparquet|hyparquet-writer)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // One worker per core: e2e files spend much of their time in one thread (PGlite runs in WASM on the
  // main thread), so two files at once on 2 cores took 245 s against 375 s one after the other.
  maxWorkers: '100%',
  // Deadlines, not expectations: generous enough for a machine at load 10 (the model runs in unit tests,
  // servers with their projections in e2e). Set here, not per project: jest-circus (30.5) reads the
  // timeout from the global config only and silently keeps its 5 s default for a project's own value.
  testTimeout: 120_000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.test.ts'] },
    // Servers under test run the ONNX model, which needs the host realm's typed arrays.
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], testEnvironment: ONNX_ENV },
    // The explorer in Debian's Chromium (playwright-core): `npm run test:browser`, which bundles it first.
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      testEnvironment: ONNX_ENV,
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: ONNX_ENV,
    },
  ],
};
