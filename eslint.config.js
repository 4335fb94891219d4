// ESLint flat config. Besides style, it enforces the layering of DESIGN.md with no-restricted-imports:
// contract → zod only; core → contract + Node (never electron); main/preload → electron + contract +
// core; web and cli → no electron; renderer → its own files and the contract only (views and components: not the
// api client either); kafkajs → electron/core/kafka only.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
const electronBan = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (DESIGN.md).',
};
const electronPattern = {
  group: ['electron/*'],
  message: 'Only electron/main and electron/preload may import electron.',
};
const nodeBan = nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins here (DESIGN.md layering).' }));
const nodePrefixPattern = { group: ['node:*'], message: 'No Node built-ins here (DESIGN.md layering).' };
// The Kafka client stays behind electron/core/kafka (its gateway, consumer factory, producer and types),
// so a change of client or of its version touches that folder only.
const kafkajsBan = {
  name: 'kafkajs',
  message: 'Only electron/core/kafka may import kafkajs: use its gateway, consumer factory or producer, and its types.',
};
const kafkajsPattern = {
  group: ['kafkajs/*'],
  message: 'Only electron/core/kafka may import kafkajs or its internals.',
};
// a handler calls the service it needs, never the entry point every host calls (no cycle through dispatch)
const dispatchPattern = {
  group: ['**/dispatch', './dispatch'],
  message: 'Only hosts and tests call dispatch; a handler calls the service it needs.',
};
const coreHostPattern = {
  group: [
    '**/main',
    '**/main/*',
    '**/preload',
    '**/preload/*',
    '**/web',
    '**/web/*',
    '**/cli',
    '**/cli/*',
    '**/renderer/**',
  ],
  message: 'The core depends on the contract and Node only, never on a host.',
};
// the renderer: its own files and the contract only
const rendererPaths = [
  electronBan,
  { name: 'kafkajs', message: 'The renderer talks to the core through renderer/src/api only.' },
  ...nodeBan,
];
const rendererPatterns = [
  electronPattern,
  nodePrefixPattern,
  {
    group: [
      '**/electron/core',
      '**/electron/core/**',
      '**/electron/main/**',
      '**/electron/preload/**',
      '**/electron/web/**',
      '**/electron/cli/**',
    ],
    message: 'The renderer may use electron/contract and its own api client only.',
  },
];
const apiClientPattern = {
  group: ['**/api', '**/api/*'],
  message: 'A view or component calls a store (renderer/src/stores) or an operations module, never the api client.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      '.dev-kafka/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.{ts,vue,js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/attribute-hyphenation': 'off',
      'vue/v-on-event-hyphenation': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='ipcMain'][callee.property.name='handle']",
          message: 'Bind IPC only in electron/main/ipc.ts: one router, every channel validated (DESIGN.md).',
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['electron/main/ipc.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, { name: 'kafkajs', message: 'The contract imports zod only.' }, ...nodeBan],
          patterns: [
            electronPattern,
            nodePrefixPattern,
            {
              group: ['../*', '!../contract', '!../contract/*'],
              message: 'The contract imports zod and its own files only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, kafkajsBan],
          patterns: [electronPattern, kafkajsPattern, coreHostPattern, dispatchPattern],
        },
      ],
    },
  },
  {
    // the entry point's own module list and the tests that drive the core as a host does
    files: ['electron/core/index.ts', 'electron/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan, kafkajsBan], patterns: [electronPattern, kafkajsPattern, coreHostPattern] },
      ],
    },
  },
  {
    // the one folder that talks to kafkajs (the rule's options replace the core's: the host rules are repeated)
    files: ['electron/core/kafka/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [electronPattern, coreHostPattern, dispatchPattern] },
      ],
    },
  },
  {
    files: ['electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan, kafkajsBan], patterns: [electronPattern, kafkajsPattern] },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [kafkajsBan], patterns: [kafkajsPattern] }] },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: rendererPaths, patterns: rendererPatterns }] },
  },
  {
    // views and components render and dispatch: a store (renderer/src/stores) or an operations module
    // calls the core (the rule's options replace the renderer's: its paths and patterns are repeated)
    files: ['renderer/src/views/**/*.vue', 'renderer/src/components/**/*.{vue,ts}'],
    rules: {
      'no-restricted-imports': ['error', { paths: rendererPaths, patterns: [...rendererPatterns, apiClientPattern] }],
    },
  },
);
