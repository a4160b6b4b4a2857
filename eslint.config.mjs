// ESLint (flat config): typescript-eslint's type-checked recommended rules over the TypeScript sources, tests,
// benchmarks and scripts (type information from tsconfig.json); the plain-JavaScript scripts and configs get
// the JavaScript rules with Node's globals. `npm run lint` runs tsc --noEmit, then this.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['lib/', 'build/', 'coverage/', 'test-results/', 'appPackage/build/', 'data/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `async` without `await` is how this code makes a port's method return a promise and turns a synchronous
      // throw (better-sqlite3, JSON.parse, validation) into a rejection the caller handles like any other.
      '@typescript-eslint/require-await': 'off',
      // The same convention as tsc's noUnusedParameters: a leading underscore marks a deliberately unused name
      // (an interface's parameter, a property taken out of an object by destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read the JSON bodies of real HTTP answers and Graph wire data and assert on them with expect():
    // the assertion is the check, and typing every probe first would only restate it.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Plain-JavaScript scripts run by node before any build: CommonJS is what they are.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
