import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (beside the code, plus exploit tests; no servers) and `integration`
 * (e2e/integration, against the real broker that e2e/infra starts or reuses).
 */
/** Every answer of the core is parsed against its channel's output schema while the tests run (dispatch.ts). */
const checkReplies = { KAFKA_DESK_CHECK_REPLIES: '1' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'electron/**/*.test.ts',
            'build/**/*.test.ts',
            'scripts/**/*.test.ts',
            'e2e/lint/**/*.test.ts',
            'renderer/src/**/*.test.ts',
          ],
          environment: 'node',
          env: checkReplies,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['e2e/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['e2e/infra/globalSetup.ts'],
          env: checkReplies,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
