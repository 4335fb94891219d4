import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (beside the code, plus exploit tests; no servers) and `integration`
 * (e2e/integration, against the real broker that e2e/infra starts or reuses).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['electron/**/*.test.ts', 'build/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/lint/**/*.test.ts', 'renderer/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['e2e/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['e2e/infra/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
