// @ts-check
/**
 * Which code may import which: the directions of docs/architecture (shared protocol <- features
 * <- views <- app; the Node programs import only the protocol). Used by eslint.config.js and
 * tested on its own (tests/unit/lint/boundaries.test.ts), so a rule that stops working fails.
 */

const VIEWS = ['datasets', 'stores', 'isochrones', 'sql'];

/** The typed hooks in src/store/hooks.ts are the only way into the store. */
const STORE_HOOKS = {
  name: 'react-redux',
  importNames: ['useSelector', 'useDispatch', 'useStore'],
  message: 'Use useAppSelector / useAppDispatch / useAppStore from src/store/hooks.ts.',
};

/**
 * An import specifier pattern: a regular expression on the text after `from`.
 * @param {string} regex
 * @param {string} message
 */
const pattern = (regex, message) => ({ regex, message });

/** A relative import that goes through a folder named `folder`. */
const through = (/** @type {string} */ folder) => `^(\\.\\.?/)+(.*/)?${folder}(/|$)`;

const NOT_SRC = pattern(
  through('src'),
  'Only the browser app imports src/: share code through protocol/.',
);
const NOT_EMULATOR = pattern(
  through('emulator'),
  'The emulator is a separate program: talk to it over HTTP.',
);
const NOT_CARTO_AUTH = pattern(through('carto-auth'), 'carto-auth is a separate Node program.');
const NOT_TESTS = pattern(through('tests'), 'Product code never imports tests.');
const NO_BROWSER_LIBS = pattern(
  '^((react|react-dom|react-redux|maplibre-gl)(/|$)|@(reduxjs|mui|deck\\.gl)/)',
  'Browser-only libraries stay in src/: Node programs must not load them.',
);
const APP_SHELL = '(Workspace|Root|main)(\\.tsx?)?$';
const NOT_APP_SHELL = pattern(
  `^(\\.\\.?/)+(.*/)?(views(/|$)|${APP_SHELL})`,
  'Features, the data layer and shared modules never import views or the app shell (imports point down: app -> views -> features -> protocol).',
);

/** Globals that exist only in a browser: the shared protocol runs in Node too. */
const BROWSER_GLOBALS = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'location',
].map((name) => ({
  name,
  message: `protocol/ also runs in Node: take what "${name}" gives as an argument.`,
}));

/** @type {import('eslint').Linter.Config[]} */
export const boundaries = [
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [STORE_HOOKS], patterns: [NOT_EMULATOR, NOT_CARTO_AUTH, NOT_TESTS] },
      ],
    },
  },
  {
    files: [
      'src/features/**/*.{ts,tsx}',
      'src/api/**/*.{ts,tsx}',
      'src/data/**/*.{ts,tsx}',
      'src/store/**/*.{ts,tsx}',
      'src/config/**/*.{ts,tsx}',
      'src/components/**/*.{ts,tsx}',
      'src/lib/**/*.{ts,tsx}',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [STORE_HOOKS],
          patterns: [NOT_EMULATOR, NOT_CARTO_AUTH, NOT_TESTS, NOT_APP_SHELL],
        },
      ],
    },
  },
  ...VIEWS.map((view) => ({
    files: [`src/views/${view}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [STORE_HOOKS],
          patterns: [
            NOT_EMULATOR,
            NOT_CARTO_AUTH,
            NOT_TESTS,
            pattern(
              `^(\\.\\./|(\\.\\.?/)+(.*/)?views/)(${VIEWS.filter((other) => other !== view).join('|')})(/|$)`,
              'A view never imports another view: move what both need to src/data/ or src/features/.',
            ),
            pattern(`^(\\.\\.?/)+(.*/)?${APP_SHELL}`, 'Views never import the app shell.'),
          ],
        },
      ],
    },
  })),
  {
    // The hooks module is where the plain hooks are typed.
    files: ['src/store/hooks.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_EMULATOR, NOT_CARTO_AUTH, NOT_TESTS, NOT_APP_SHELL] },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [STORE_HOOKS] }] },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_SRC, NOT_EMULATOR, NOT_CARTO_AUTH, NOT_TESTS, NO_BROWSER_LIBS] },
      ],
      'no-restricted-globals': ['error', ...BROWSER_GLOBALS],
    },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_SRC, NOT_CARTO_AUTH, NOT_TESTS, NO_BROWSER_LIBS] },
      ],
    },
  },
  {
    files: ['carto-auth/**/*.ts', 'bin/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_SRC, NOT_EMULATOR, NOT_TESTS, NO_BROWSER_LIBS] },
      ],
    },
  },
];
