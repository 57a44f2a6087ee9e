const { projectConfig } = require('../../jest.preset.js');

const base = projectConfig(__dirname);
const swc = base.transform['^.+\\.ts$'];

// fastify.inject (light-my-request) requires the ESM-only `cookie` 2.x; let swc compile it to CommonJS.
module.exports = {
  ...base,
  transform: { ...base.transform, '/node_modules/cookie/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
};
