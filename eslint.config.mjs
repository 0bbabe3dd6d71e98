// Rules that matter are enforced here, not in prose: no floating promises (an unawaited write loses data
// silently), no misused promises, no unused code. Type-aware, through each folder's own tsconfig.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', '.warden/**', 'test/bench/**', 'scripts/**', '**/*.mjs', '**/*.js', 'web/vite.config.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // engine/ is infrastructure: it asks ports (e.g. ACCESS_PORT) and never imports a feature module.
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**', '**/entities'], message: 'engine/ imports nothing from modules/: define a port in engine/ and implement it in the module' }] }],
    },
  },
  {
    // NestJS injects by the runtime class: a constructor parameter's type must stay a value import.
    files: ['server/src/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
