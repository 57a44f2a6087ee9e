// Shared jest settings: every project's jest.config.js is `projectConfig(__dirname)`.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;

function moduleNameMapper() {
  const map = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    map[`^${alias.replace('/', '\\/')}$`] = path.join(root, target);
  }
  map['^@kubernetes/client-node$'] = path.join(root, 'tools/test/client-node-stub.js');
  return map;
}

function projectConfig(projectDir, overrides = {}) {
  return {
    displayName: path.relative(root, projectDir),
    rootDir: projectDir,
    testEnvironment: path.join(root, 'tools/test/client-node-environment.js'),
    testMatch: ['<rootDir>/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    },
    moduleNameMapper: moduleNameMapper(),
    globalSetup: path.join(root, 'tools/test/global-setup.js'),
    testTimeout: 30000,
    ...overrides,
  };
}

module.exports = { projectConfig };
