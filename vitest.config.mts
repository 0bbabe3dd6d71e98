import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One runner for every tier. SWC compiles the NestJS/TypeORM decorators (esbuild cannot emit their metadata).
// Test files run in separate forks so each process can bind its own embedded ClickHouse data directory.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', '**/node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
