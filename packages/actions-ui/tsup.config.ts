import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/**
 * ESM + .d.ts. Peers and dependencies stay external (tsup's default for package.json deps).
 * The kit is client components (hooks, effects, event handlers): `"use client"` heads the bundle so
 * a React Server Components host (Next.js app router) can import it from a server component.
 * esbuild drops module-level directives when it bundles, so it is added as a banner instead.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'browser',
  banner: { js: '"use client";' },
  external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query'],
  async onSuccess() {
    copyFileSync('src/styles.css', 'dist/styles.css');
  },
});
