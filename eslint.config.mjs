import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // kernels/ is AssemblyScript (decorators and wasm types TypeScript does not know): asc checks it.
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/', '**/*.js', 'kernels/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Build and packaging scripts are plain Node ES modules (TypeScript files get Node's types from tsc).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The core must stay usable outside VS Code (CLI, worker, tests).
    files: ['src/language/**', 'src/data/**', 'src/model/**', 'src/inspect/**', 'src/training/**', 'src/tasks/**', 'src/compare/**', 'src/cli/**', 'src/protocol.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'] }] },
  },
  {
    // Keras interop is core code for the CLI and the extension alike: no editor, no TensorFlow.js.
    files: ['src/interop/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['@tensorflow/*', '**/model/build*', '**/training/*'] }] },
  },
  {
    // The extension host never loads TensorFlow.js: training happens in the worker process.
    files: ['src/extension/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@tensorflow/*', '**/model/*', '**/inspect/*', '**/training/worker*', '**/training/trainer*', '**/training/forecastView', '**/training/classificationView', '**/training/taskViews', '**/training/textSample'] },
      ],
    },
  },
);
