// Kubernetes integration tests of the CLI (`*.kube.test.ts`: trellis install/uninstall against a real
// kube-apiserver 1.20 from tools/kube-env). Kept apart from jest.config.js so the unit tests don't pay the
// API server's ~6 s start-up; the Nx `test` target runs both.
const path = require('node:path');
const base = require('./jest.config');

const root = path.join(__dirname, '../..');

module.exports = {
  ...base,
  displayName: 'apps/cli (kube)',
  testMatch: ['<rootDir>/**/*.kube.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: path.join(root, 'tools/kube-env/jest-global-setup.js'),
  globalTeardown: path.join(root, 'tools/kube-env/jest-global-teardown.js'),
  testTimeout: 120000,
};
