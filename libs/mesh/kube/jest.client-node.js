// Stands in for @kubernetes/client-node inside jest (see jest.environment.js and jest.config.js).
module.exports = globalThis.__TRELLIS_CLIENT_NODE__;
