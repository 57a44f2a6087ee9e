// Stands in for @kubernetes/client-node inside jest (see client-node-environment.js).
module.exports = globalThis.__TRELLIS_CLIENT_NODE__;
