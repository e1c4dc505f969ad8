import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@aihio/source'] },
  ssr: { resolve: { conditions: ['@aihio/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
