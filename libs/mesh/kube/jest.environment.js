// Jest environment for libs/mesh/kube: @kubernetes/client-node 1.x is ESM, which jest's sandboxed require cannot load
// on Node 20. Test environments load outside the sandbox, where Node's native require(esm) works (Node >= 20.19), so
// the module is loaded here and handed to the sandbox; jest.client-node.js (moduleNameMapper) returns it.
const { TestEnvironment } = require('jest-environment-node');
const clientNode = require('@kubernetes/client-node');

class KubeTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__TRELLIS_CLIENT_NODE__ = clientNode;
  }
}

module.exports = KubeTestEnvironment;
