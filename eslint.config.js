// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { boundaries } from './eslint.boundaries.js';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-e2e-forced',
      'node_modules',
      'public',
      'artifacts',
      'coverage',
      '.tmp',
      '.cache',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-definitions': 'off',
      // `() => clearTimeout(t)` and `() => dispatch(x)` read better than braced bodies.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // In tests a wrong guess about a value fails the test either way.
    files: ['tests/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The shared jsdom test project (vitest.config.ts) runs these files one after another in a
    // worker: a module that one file replaced would stay replaced for the next.
    files: ['tests/integration/**/*.{ts,tsx}', 'tests/unit/**/*.tsx'],
    ignores: [
      'tests/integration/emulator/**',
      'tests/integration/cartoAuth/**',
      '**/*.isolated.test.{ts,tsx}',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|unmock|doUnmock)$/]",
          message:
            'Files that replace modules run in a worker of their own: name this one *.isolated.test.tsx (see vitest.config.ts).',
        },
      ],
    },
  },
  // Import directions (app -> views -> features -> protocol; Node programs -> protocol only).
  ...boundaries,
  {
    files: [
      'emulator/**/*.ts',
      'carto-auth/**/*.ts',
      'bin/**/*.mjs',
      'protocol/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      'tests/e2e/**/*.ts',
      '*.config.ts',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['eslint.config.js', 'eslint.boundaries.js', 'bin/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
