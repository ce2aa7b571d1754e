// Lint, above all the layering of ../shared/design/ARCHITECTURE.md:
//   renderer → shared ← electron/services ← electron/{main,host,transport};  preload → shared
// A wrong-way import fails `npm run lint`, which `npm test` (and so CI) runs first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'stream',
  'http',
  'https',
  'net',
  'url',
  'util',
  'worker_threads',
  'zlib',
  'module',
  'events',
  'buffer',
];
const node = (names) => names.flatMap((n) => [n, `${n}/*`, `node:${n}`, `node:${n}/*`]);

const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

// One home per capability: a feature folder reaches another feature only through that feature's
// index.ts(x), so what a feature offers the others is written down in one place. Stylesheets are
// shared freely: a screen may reuse another feature's look without depending on its code.
const SERVICE_FEATURES = [
  'people',
  'campaigns',
  'dossiers',
  'import',
  'annotations',
  'standards',
  'scoring',
  'panel',
  'meeting',
  'letters',
  'ledger',
  'signing',
  'packages',
  'ocr',
  'precheck',
  'audit',
  'backup',
];
const UI_FEATURES = [
  'people',
  'campaigns',
  'dossiers',
  'import',
  'annotations',
  'standards',
  'scoring',
  'panel',
  'meeting',
  'letters',
  'ledger',
  'signing',
  'packages',
  'ocr',
  'precheck',
  'audit',
  'backup',
];
const throughIndex = (features, self) =>
  features
    .filter((f) => f !== self)
    .map((f) => ({
      group: [
        `../${f}/**`,
        `../../${f}/**`,
        ...['', '.js'].flatMap((ext) => [`!../${f}/index${ext}`, `!../../${f}/index${ext}`]),
        `!../${f}/*.css`,
        `!../../${f}/*.css`,
      ],
      message: `Reach the ${f} feature only through its index (../${f}/index): add there what you need.`,
    }));
const SERVICE_BASE = [
  { group: ['electron', 'electron/*'], message: 'Services are plain Node: they must run (and be tested) without Electron.' },
  { group: ['**/renderer/**'], message: 'Services never import UI code.' },
  {
    group: ['../main/**', '../host/**', '../transport/**', '../../main/**', '../../host/**', '../../transport/**'],
    message: 'Services do not depend on a transport.',
  },
];
const RENDERER_BASE = [
  {
    group: ['**/electron/**', 'electron'],
    message: 'The renderer talks to the back end only through the typed client (renderer/src/api).',
  },
  { group: [...node(NODE_BUILTINS), 'better-sqlite3'], message: 'The renderer runs sandboxed: no Node modules.' },
];

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'release/**', 'node_modules/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Type-aware checks on the code the TypeScript projects cover: a promise nobody awaits loses its
    // error, and a switch over a union must say what happens for each member.
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'tests/**/*.ts'],
    ignores: ['electron/scripts/**/*.mjs'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['../electron/**', '../renderer/**', '../../electron/**', '../../renderer/**'],
          message: 'shared/ imports nothing of ours outside shared/.',
        },
        {
          group: [...node(NODE_BUILTINS), 'electron', 'better-sqlite3', 'react', 'react-dom', 'react/*', 'pdfjs-dist*', 'docx', 'exceljs'],
          message: 'shared/ is pure TypeScript: no Node, DOM, React or Electron.',
        },
      ]),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict(RENDERER_BASE) },
  },
  ...UI_FEATURES.map((f) => ({
    files: [`renderer/src/features/${f}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': restrict([...RENDERER_BASE, ...throughIndex(UI_FEATURES, f)]) },
  })),
  {
    files: ['electron/services/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(SERVICE_BASE) },
  },
  ...SERVICE_FEATURES.map((f) => ({
    files: [`electron/services/${f}/**/*.ts`],
    rules: { 'no-restricted-imports': restrict([...SERVICE_BASE, ...throughIndex(SERVICE_FEATURES, f)]) },
  })),
  {
    files: ['electron/transport/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron/*'], message: 'Only electron/main and electron/preload may import Electron.' },
        { group: ['**/renderer/**', '../main/**'], message: 'Transports are siblings: no imports across them.' },
      ]),
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['../services/**', '../main/**', '../host/**', '../transport/**', '**/renderer/**'],
          message: 'The preload knows only the contract (shared/).',
        },
      ]),
    },
  },
  {
    files: ['electron/scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['tests/**/*.ts', 'electron/scripts/**/*.ts', '*.config.ts', '**/vite.config.ts', 'eslint.config.js'],
    rules: { 'no-console': 'off' },
  },
);
