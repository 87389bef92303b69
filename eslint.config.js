// ESLint with typescript-eslint's type-checked rules (type information from tsconfig.test.json, which covers
// src, rules, bench, support, test). Formatting is Prettier's job (.prettierrc.json); `npm run lint` runs both.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**', '.tmpbench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests read what the CLI printed back with JSON.parse and walk it: those values are `any` by nature, and
    // typing every parsed report would restate the JSON contract in each test. The assertions check the values.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Tests assert on terminal colour escapes (\x1b[…m) and NUL-separated argv.
      'no-control-regex': 'off',
      // SDK options take async credential providers; tests hand them fixed values.
      '@typescript-eslint/require-await': 'off',
      // Malformed-input tests build shapes the types forbid on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Spies wrap prototype methods and call the saved original with .call(this).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
);
