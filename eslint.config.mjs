// Type-aware lint rules for what the type checker lets through: a promise nobody awaits or handles (its failure
// vanishes, or it races what follows), and a switch that misses a case of its union. `void` marks a promise that
// is deliberately fire-and-forget. Run by `npm test` (`npm run lint`).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'build/**', 'coverage/**', 'node_modules/**'] },
  {
    files: ['plugin/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
);
