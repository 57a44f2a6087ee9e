const path = require('node:path');
const { projectConfig } = require('../../../jest.preset');

const root = path.join(__dirname, '../../..');

module.exports = projectConfig(__dirname, {
  globalSetup: path.join(root, 'tools/kube-env/jest-global-setup.js'),
  globalTeardown: path.join(root, 'tools/kube-env/jest-global-teardown.js'),
  // @kubernetes/client-node 1.x is ESM: jest's sandboxed require cannot load it on Node 20, so the test environment
  // loads it with Node's own require (require(esm), Node >= 20.19, as the bundled apps do) and the mapper hands it over.
  testEnvironment: path.join(__dirname, 'jest.environment.js'),
  moduleNameMapper: {
    ...projectConfig(__dirname).moduleNameMapper,
    '^@kubernetes/client-node$': path.join(__dirname, 'jest.client-node.js'),
  },
  testTimeout: 60000,
});
