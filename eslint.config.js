// ESLint flat config for the browser code (static/src), its build script and its unit tests.
// `npm run lint` (and `make test`) runs it; `npm test` runs the unit tests on Node's test runner.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.venv/**', 'staticfiles/**', 'test-artifacts/**', 'data/**'] },
  js.configs.recommended,
  {
    files: ['static/src/**/*.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.browser } },
    rules: {
      // Nothing is used before it is declared (function declarations are hoisted and may be).
      'no-use-before-define': ['error', { functions: false, classes: true, variables: true }],
      // The recorder swallows its own errors on purpose (it never throws into the host page).
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-unused-vars': ['error', { caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    // Pages of the demo shop and the peer SDK wrappers of the recorder benchmark run in a browser.
    files: ['demo/**/*.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['benchmarks/**/peers/*.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs', 'static/tests/**/*.js', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { caughtErrors: 'none', ignoreRestSiblings: true }], 'prefer-const': 'error' },
  },
];
