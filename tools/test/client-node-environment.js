// Jest test environment for every project: @kubernetes/client-node 1.x is ESM, which jest's sandboxed
// require cannot load on Node 20. Environments load outside the sandbox, where Node's own require(esm)
// works (Node >= 20.19, as in the bundled apps), so the module is loaded here — lazily, only for suites
// that use it — and handed to the sandbox through client-node-stub.js (a moduleNameMapper target).
const { TestEnvironment } = require('jest-environment-node');

class TrellisTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    let clientNode;
    Object.defineProperty(this.global, '__TRELLIS_CLIENT_NODE__', {
      get: () => (clientNode ??= require('@kubernetes/client-node')),
    });
  }
}

module.exports = TrellisTestEnvironment;
