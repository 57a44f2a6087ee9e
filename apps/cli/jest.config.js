// Unit and process-level tests of the CLI (fast: no Kubernetes API server). Kubernetes integration tests
// (*.kube.test.ts) run from jest.kube.config.js, which starts the tools/kube-env API server for them.
const { projectConfig } = require('../../jest.preset');

module.exports = projectConfig(__dirname, {
  testPathIgnorePatterns: ['/node_modules/', '\\.kube\\.test\\.ts$'],
});
