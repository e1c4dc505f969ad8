#!/usr/bin/env node
// Gzip size of the kit: its own code, and its non-peer dependencies as a browser bundle would
// carry them (react, react-dom and @tanstack/react-query are peers: the host already has them).
// Usage: node scripts/size.mjs   (after `pnpm build` for the dist figures)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');
const require = createRequire(path.join(pkgDir, 'package.json'));
// esbuild comes with Vite and tsup; resolve it through them rather than adding a dependency.
const esbuild = createRequire(require.resolve('vite'))('esbuild');

const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const peers = Object.keys(pkg.peerDependencies ?? {});
const deps = Object.keys(pkg.dependencies ?? {});
const peerPatterns = peers.flatMap((p) => [p, `${p}/*`]);

async function bundle(external) {
  const result = await esbuild.build({
    entryPoints: [path.join(pkgDir, 'src/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    conditions: ['@aihio/source'],
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, meta: result.metafile };
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const own = await bundle([...peerPatterns, ...deps.flatMap((d) => [d, `${d}/*`])]);
const all = await bundle(peerPatterns);

// Raw minified bytes per dependency, from the metafile (gzip is not additive, so this is a breakdown only).
const perPackage = {};
for (const output of Object.values(all.meta.outputs)) {
  for (const [file, info] of Object.entries(output.inputs)) {
    const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = match
      ? match[1]
      : file.includes('actions-core')
        ? '@aihio/actions-core'
        : '@aihio/actions-ui';
    perPackage[name] = (perPackage[name] ?? 0) + info.bytesInOutput;
  }
}

console.log(`@aihio/actions-ui bundle size (minified, esbuild; peers external: ${peers.join(', ')})`);
console.log(`  kit's own code:                 ${kb(own.bytes)} min, ${kb(own.gzip)} gzip`);
console.log(`  kit + non-peer dependencies:    ${kb(all.bytes)} min, ${kb(all.gzip)} gzip`);
console.log(`  non-peer dependencies (diff):   ${kb(all.gzip - own.gzip)} gzip`);
console.log('  breakdown (minified bytes in the full bundle):');
for (const [name, bytes] of Object.entries(perPackage).sort((a, b) => b[1] - a[1])) {
  console.log(`    ${name.padEnd(32)} ${kb(bytes)}`);
}
const css = readFileSync(path.join(pkgDir, 'src/styles.css'));
console.log(
  `  styles.css:                     ${kb(css.length)} raw, ${kb(gzipSync(css, { level: 9 }).length)} gzip`,
);
const dist = path.join(pkgDir, 'dist/index.js');
if (existsSync(dist)) {
  const code = readFileSync(dist);
  console.log(
    `  dist/index.js (tsup, unminified): ${kb(code.length)}, ${kb(gzipSync(code, { level: 9 }).length)} gzip`,
  );
}
