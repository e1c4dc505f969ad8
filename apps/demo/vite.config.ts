import react from '@vitejs/plugin-react';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';

/**
 * The demo runs on the workspace packages' source (the `@aihio/source` export condition) and
 * proxies the BFF's two APIs, so the browser sees one origin and the BFF needs no CORS entry.
 * `AIHIO_BFF_URL` is set by `npm start` and by the end-to-end tests.
 */
const bff = process.env.AIHIO_BFF_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@aihio/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@aihio/source', ...defaultServerConditions] } },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.AIHIO_DEMO_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/api': { target: bff, changeOrigin: true },
      '/agent': { target: bff, changeOrigin: true },
    },
  },
  preview: { host: '127.0.0.1' },
});
