import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'drizzle/**', '.tools/**', '.data/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  {
    // The CLI runs on operators' machines: it reads the API's answers through the API's own schema
    // types, and never loads server code.
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/db/**', '**/batches/**', '**/schedules/**', '**/activities/**', '**/worker/**', '**/agent-gateway/**'],
              allowTypeImports: true,
              message: 'the CLI imports only types from server code',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflows are deterministic: no I/O, no Node builtins, no database or socket code.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https'], message: 'workflows must stay deterministic: no Node builtins' },
            { group: ['ws', 'pg', 'drizzle-orm', 'drizzle-orm/*', '@electric-sql/*', 'pino', 'zod'], message: 'workflows must not do I/O' },
            { group: ['**/db', '**/db/*', '**/api/*', '**/agent-gateway/*', '**/agent/*'], message: 'workflows only import activity types' },
          ],
        },
      ],
    },
  },
);
