import { defineConfig } from 'tsup';

// Production runs built JavaScript: `node dist/main.js`, no tsx or TypeScript at run time. The
// workspace packages (core, egress) are bundled from source with their own dependencies; the BFF's
// npm dependencies stay external and load from node_modules (better-sqlite3 is native). Bundled
// CommonJS (undici) requires Node's built-ins at run time: the banner gives ESM a `require`.
export default defineConfig({
  entry: { main: 'src/main.ts', 'rotate-keys': 'src/cli/rotate-keys.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  noExternal: [/^@aihio\//, 'undici', 'ipaddr.js', 'libphonenumber-js', 'yaml', /^@readme\//],
  banner: {
    js: "import { createRequire as __aihioRequire } from 'node:module'; const require = __aihioRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.conditions = ['@aihio/source'];
  },
});
