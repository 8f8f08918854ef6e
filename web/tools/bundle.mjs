// Bundles the package's entries with esbuild: the wrapper (web/applivery-oem/index.js) +
// wasm-bindgen's glue + where the wasm comes from, minified, one file per entry:
//   index.js    ESM, the wasm embedded (gzip, base64): browsers, every bundler, Node ESM, Deno, Bun
//   index.cjs   the same as CommonJS: `require` in Node, Bun and bundlers
//   workerd.js  ESM importing ./applivery_oem_bg.wasm as a module: Cloudflare Workers (workerd)
//   mock.js     ESM, `applivery-oem/mock`: web/applivery-oem/mock.js + the glue of
//               crates/applivery-mock-wasm, its wasm embedded (never in the entries above)
// Then removes the glue, its snippets and the mock's wasm from PKG_DIR: they are inside the entries.
//
// usage: node bundle.mjs TEMPLATE_DIR PKG_DIR
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { build } from 'esbuild';

const [templateDir, pkgDir] = process.argv.slice(2).map((dir) => resolve(dir));
const glue = join(pkgDir, 'applivery_oem.js');
const wasm = join(pkgDir, 'applivery_oem_bg.wasm');
// The embedded wasm, gzip as zopfli writes it: 7% smaller than zlib's -9 (33.1 -> 30.8 KB) and
// inflated by the same `DecompressionStream('gzip')`; 100 iterations took 22 B more off than 15,
// in a few seconds, once for both entries.
const embedded = Buffer.from(await gzipAsync(readFileSync(wasm), { numiterations: 100 })).toString(
  'base64',
);

/** Resolves the wrapper's two build-time imports: the glue in PKG_DIR, the entry's wasm source. */
function packageFiles(source) {
  return {
    name: 'applivery-oem-files',
    setup(build) {
      build.onResolve({ filter: /^\.\/applivery_oem\.js$/ }, () => ({ path: glue }));
      build.onResolve({ filter: /^\.\/wasm-source\.js$/ }, () => ({
        path: join(templateDir, source),
      }));
      build.onResolve({ filter: /^\.\/applivery_oem_bg\.wasm$/ }, () =>
        source === 'wasm-source-workerd.js'
          ? { path: './applivery_oem_bg.wasm', external: true }
          : { path: wasm, namespace: 'gzip-base64' },
      );
      // wasm-source.js's import: the wasm, gzip, as a base64 string.
      build.onLoad({ filter: /.*/, namespace: 'gzip-base64' }, () => ({
        contents: embedded,
        loader: 'text',
      }));
    },
  };
}

const entries = [
  { outfile: 'index.js', format: 'esm', source: 'wasm-source.js' },
  { outfile: 'index.cjs', format: 'cjs', source: 'wasm-source.js' },
  { outfile: 'workerd.js', format: 'esm', source: 'wasm-source-workerd.js' },
];
for (const { outfile, format, source } of entries) {
  await build({
    entryPoints: [join(templateDir, 'index.js')],
    outfile: join(pkgDir, outfile),
    bundle: true,
    format,
    minify: true,
    // `console.log(client)` must still say `AppliveryClient`.
    keepNames: true,
    target: 'es2022',
    // The glue's fallback `new URL('applivery_oem_bg.wasm', import.meta.url)` is never taken (the
    // wrapper always passes the module), but bundlers would copy the file for it, and
    // `import.meta` does not exist in CommonJS.
    define: { 'import.meta.url': 'undefined' },
    plugins: [packageFiles(source)],
    logLevel: 'warning',
  });
}
// The mock entry: its wasm is 15 times the client's, so zlib rather than zopfli (seconds saved on
// every build; it is a test tool, not downloaded by an app's users).
const mockGlue = join(pkgDir, 'applivery_mock.js');
const mockWasm = join(pkgDir, 'applivery_mock_bg.wasm');
const mockEmbedded = gzipSync(readFileSync(mockWasm), { level: 9 }).toString('base64');
await build({
  entryPoints: [join(templateDir, 'mock.js')],
  outfile: join(pkgDir, 'mock.js'),
  bundle: true,
  format: 'esm',
  minify: true,
  keepNames: true,
  target: 'es2022',
  define: { 'import.meta.url': 'undefined' },
  plugins: [
    {
      name: 'applivery-mock-files',
      setup(build) {
        build.onResolve({ filter: /^\.\/applivery_mock\.js$/ }, () => ({ path: mockGlue }));
        build.onResolve({ filter: /^\.\/applivery_mock_bg\.wasm$/ }, () => ({
          path: mockWasm,
          namespace: 'mock-base64',
        }));
        build.onLoad({ filter: /.*/, namespace: 'mock-base64' }, () => ({
          contents: mockEmbedded,
          loader: 'text',
        }));
      },
    },
  ],
  logLevel: 'warning',
});
rmSync(mockGlue);
rmSync(mockWasm);
entries.push({ outfile: 'mock.js' });
rmSync(glue);
// The Rust crate's JS snippets (`#[wasm_bindgen(module = ...)]`), bundled like the glue.
rmSync(join(pkgDir, 'snippets'), { recursive: true, force: true });
console.log(`bundled ${entries.map((e) => e.outfile).join(', ')} into ${pkgDir}`);
