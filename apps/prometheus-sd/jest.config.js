const path = require('node:path');
const { projectConfig } = require('../../jest.preset');

const root = path.join(__dirname, '../..');

// The adapter's integration test lists and watches a real kube-apiserver (tools/kube-env), one per jest run.
module.exports = projectConfig(__dirname, {
  globalSetup: path.join(root, 'tools/kube-env/jest-global-setup.js'),
  globalTeardown: path.join(root, 'tools/kube-env/jest-global-teardown.js'),
  testTimeout: 60000,
});
