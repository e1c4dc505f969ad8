import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@aihio/source'] },
  ssr: { resolve: { conditions: ['@aihio/source'] } },
  test: {
    include: ['sandbox/**/*.test.ts', 'agent/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    // The browser suites start a BFF, the sandbox and a Vite server, and drive Chromium.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The pages render after real requests to a real BFF on a shared two-core machine: give the
    // UI polls room (a failing expectation still fails, only later).
    expect: { poll: { timeout: 10_000, interval: 100 } },
    // One file at a time: each e2e file runs its own servers and browser on a two-core machine.
    fileParallelism: false,
  },
});
