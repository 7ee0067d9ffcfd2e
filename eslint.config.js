// The project's lint rules: typescript-eslint's recommended set, and the import directions
// the layout promises (suites never import each other; pure checks never import vitest).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const vitestInChecks = {
  paths: [
    { name: 'vitest', message: 'a check is a pure function over parsed data: assertions belong to the test (fixtures/verdict.ts)' },
    { name: 'allure-js-commons', message: 'a check is a pure function: evidence is attached by the test' },
  ],
  patterns: [{ regex: '/fixtures/(verdict|evidence|lab-test)$', message: 'a check is a pure function: import checks/verdict instead' }],
}

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', '**/__fixtures__/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // vitest fixtures must destructure their first argument, even when they need nothing from it
      'no-empty-pattern': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['suites/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!\\.\\.)', message: 'a suite never imports another suite: move what they share to checks/ or fixtures/' }] },
      ],
    },
  },
  {
    files: ['checks/**/*.ts', 'suites/*/checks.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', vitestInChecks] },
  },
)
