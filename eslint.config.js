// Lint: TypeScript rules, no import cycles, and the folder boundaries of DESIGN.md
// (dependencies point inward; asl/ is pure).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const layers = ['lib', 'asl', 'engine', 'service', 'stores', 'integrations', 'scheduler', 'api', 'console', 'cli', 'pipeline', 'config'];

/** Each folder may import only from the folders listed for it. */
const allowed = {
  lib: [],
  asl: ['lib'],
  engine: ['lib', 'asl'],
  service: ['lib', 'asl', 'engine'],
  stores: ['lib', 'asl', 'engine'],
  integrations: ['lib', 'asl', 'engine'],
  scheduler: ['lib', 'engine', 'service'],
  config: ['lib'], // and the types of service/limits (typeOnly below)
  pipeline: ['lib'],
  api: ['lib', 'asl', 'engine', 'service', 'config'],
  console: ['lib', 'service'],
  cli: ['lib', 'asl', 'engine', 'service', 'config', 'stores', 'integrations', 'pipeline', 'api', 'scheduler', 'console'],
};

/** Modules a folder may import types from (`import type`), though not the rest of their folder. */
const typeOnly = {
  config: ['service/limits'],
};

const boundaryBlocks = Object.entries(allowed).map(([layer, ok]) => {
  const types = typeOnly[layer] ?? [];
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      // typescript-eslint's version of the rule, for allowTypeImports.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layers
              .filter((l) => l !== layer && !ok.includes(l))
              .map((l) => {
                // A negated path re-includes a module only while no pattern excludes its whole folder.
                const except = types.filter((t) => t.startsWith(`${l}/`)).map((t) => `!**/${t}.js`);
                const folder = except.length ? [] : [`../${l}`, `../../${l}`];
                return { group: [`**/${l}/*`, `**/${l}/**`, ...folder, ...except], message: `src/${layer} must not import src/${l} (DESIGN.md architecture).` };
              }),
            ...types.map((t) => ({ group: [`**/${t}.js`], allowTypeImports: true, message: `src/${layer} may import only types from src/${t}.` })),
            { group: ['**/main', '**/main.js'], message: 'only the composition root wires everything.' },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', '.scratch/**', '.stepwise/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...boundaryBlocks,
  {
    files: ['src/asl/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads'].map((name) => ({
            name,
            message: 'src/asl is pure: no I/O.',
          })),
          patterns: layers.filter((l) => l !== 'asl' && l !== 'lib').map((l) => ({ group: [`../${l}/*`, `../../${l}/*`], message: `src/asl must not import src/${l}.` })),
        },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'src/asl has no clock.' }],
    },
  },
);
