import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: end-to-end files each run real processes; keep them from starving each other.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    fileParallelism: true,
    reporters: ['default'],
  },
});
