import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** ESM + .d.ts. Peers and dependencies stay external (tsup's default for package.json deps). */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'browser',
  external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query'],
  async onSuccess() {
    copyFileSync('src/styles.css', 'dist/styles.css');
  },
});
