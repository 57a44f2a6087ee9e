import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const root = dirname(fileURLToPath(import.meta.url));

// Roots of the projects tagged `purity:pure` (read from their project.json, so a new pure lib is
// covered as soon as it carries the tag). The tag is the source of truth, as for the depConstraints.
function projectRoots(dir, depth) {
  const entries = readdirSync(join(root, dir), { withFileTypes: true });
  if (entries.some((e) => e.name === 'project.json')) return [dir];
  if (depth === 0) return [];
  return entries
    .filter((e) => e.isDirectory() && e.name !== 'node_modules' && e.name !== 'src')
    .flatMap((e) => projectRoots(`${dir}/${e.name}`, depth - 1));
}
const pureRoots = ['apps', 'libs', 'e2e']
  .flatMap((d) => projectRoots(d, 2))
  .filter((p) => (JSON.parse(readFileSync(join(root, p, 'project.json'), 'utf8')).tags ?? []).includes('purity:pure'));

// Pure cores: npm packages they may import (everything else is banned by the depConstraint below),
// and the npm packages that are I/O adapters (banned outright, even if someone widens the allow-list).
const PURE_NPM = ['yaml', 'ajv', 'ajv/*'];
const IO_NPM = ['@grpc/*', '@kubernetes/*', 'fastify', '@fastify/*', 'pino', 'pino-*', 'undici', 'prom-client', 'node-forge', 'commander'];
// Node builtins are invisible to @nx/enforce-module-boundaries (it returns early for any builtin
// import, with or without `node:`), so they are banned with no-restricted-imports: every builtin
// except these pure computations, by bare name and as `node:*` (which also covers node:test & co).
const PURE_BUILTINS = ['assert', 'assert/strict', 'buffer', 'path', 'path/posix', 'path/win32', 'querystring', 'string_decoder', 'url', 'util', 'util/types'];
const ioBuiltins = builtinModules.filter((m) => !m.startsWith('_') && !PURE_BUILTINS.includes(m));
const PURE_MESSAGE = 'purity:pure libraries do no I/O: pass data in, return data out (docs/architecture.md, Boundaries).';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tools/**', '**/jest.config.js', 'jest.preset.js', 'coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            // Bookinfo never imports mesh code: the mesh is transparent to the apps.
            { sourceTag: 'scope:bookinfo', onlyDependOnLibsWithTags: ['scope:bookinfo', 'scope:shared'] },
            { sourceTag: 'scope:mesh', onlyDependOnLibsWithTags: ['scope:mesh', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Pure cores: the API and the translator import no I/O libraries or adapters.
            {
              sourceTag: 'purity:pure',
              onlyDependOnLibsWithTags: ['purity:pure'],
              bannedExternalImports: IO_NPM,
              allowedExternalImports: PURE_NPM,
            },
          ],
        },
      ],
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Node builtins in pure code (tests beside it may read fixtures from disk).
    files: pureRoots.map((p) => `${p}/src/**/*.ts`),
    ignores: ['**/*.test.ts', '**/test/**', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ioBuiltins.map((name) => ({ name, message: PURE_MESSAGE })),
          patterns: [{ group: ['node:*', ...PURE_BUILTINS.map((m) => `!node:${m}`)], message: PURE_MESSAGE }],
        },
      ],
    },
  },
  {
    // No runtime import cycles inside a project (type-only imports are ignored). Only relative
    // imports are resolved: a cycle across projects is already an Nx error (project graph), and
    // a project importing its own `@trellis/*` name is too, so following `@trellis/*` into other
    // projects would cost time and find nothing.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/ignore': ['node_modules'],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    // Typed rules: each file is typed by the tsconfig.json of its project (all include src/**/*.ts,
    // tests too); a promise is awaited, returned, handled with .catch, or explicitly `void`ed.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
