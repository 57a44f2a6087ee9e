const path = require('node:path');
const { projectConfig } = require('../../../jest.preset');

const root = path.join(__dirname, '../../..');

// One real kube-apiserver (tools/kube-env) per jest run, shared by every suite here.
module.exports = projectConfig(__dirname, {
  globalSetup: path.join(root, 'tools/kube-env/jest-global-setup.js'),
  globalTeardown: path.join(root, 'tools/kube-env/jest-global-teardown.js'),
  testTimeout: 60000,
});
