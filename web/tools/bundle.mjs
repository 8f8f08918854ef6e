// Bundles the package's entries with esbuild: the wrapper (web/applivery-oem/index.js) +
// wasm-bindgen's glue + where the wasm comes from, minified, one file per entry:
//   index.js        ESM, the wasm embedded (gzip, base64): browsers, every bundler, Node ESM,
//                   Deno, Bun
//   index.cjs       the same as CommonJS: `require` in Node, Bun and bundlers
//   bulk-engine.js  ESM, the bulk module (crates/applivery-bulk-wasm) with its glue, its wasm
//                   embedded: what index.js and index.cjs `import()` when a bulk run starts
//   workerd.js      ESM importing ./applivery_oem_bg.wasm and ./applivery_bulk_bg.wasm as
//                   modules, the bulk engine inside: Cloudflare Workers (workerd)
//   mock.js         ESM, `applivery-oem/mock`: web/applivery-oem/mock.js + the glue of
//                   crates/applivery-mock-wasm, its wasm embedded (never in the entries above)
//   mock.cjs        the same as CommonJS, for `require` in Node (Jest, Mocha)
// Then removes the glue, its snippets and the embedded wasm from PKG_DIR: they are inside the
// entries (the workerd entry's two .wasm files stay).
//
// usage: node bundle.mjs TEMPLATE_DIR PKG_DIR
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { build } from 'esbuild';

const [templateDir, pkgDir] = process.argv.slice(2).map((dir) => resolve(dir));
const glue = join(pkgDir, 'applivery_oem.js');
const bulkGlue = join(pkgDir, 'applivery_bulk.js');
const wasm = join(pkgDir, 'applivery_oem_bg.wasm');
const bulkWasm = join(pkgDir, 'applivery_bulk_bg.wasm');
// The embedded wasm, gzip as zopfli writes it: 7% smaller than zlib's -9 (33.1 -> 30.8 KB) and
// inflated by the same `DecompressionStream('gzip')`; 100 iterations took 22 B more off than 15,
// in a few seconds, once for every entry.
const zopfli = async (file) =>
  Buffer.from(await gzipAsync(readFileSync(file), { numiterations: 100 })).toString('base64');
const embedded = { [wasm]: await zopfli(wasm), [bulkWasm]: await zopfli(bulkWasm) };

/**
 * Resolves the wrapper's build-time imports: the glue in PKG_DIR, and the entry's wasm sources
 * (`workerd`: the files that import the .wasm as modules, kept external).
 */
function packageFiles(workerd) {
  const variant = (name) => ({ path: join(templateDir, workerd ? `${name}-workerd.js` : `${name}.js`) });
  const wasmFile = (file, name) =>
    workerd ? { path: `./${name}`, external: true } : { path: file, namespace: 'gzip-base64' };
  return {
    name: 'applivery-oem-files',
    setup(build) {
      build.onResolve({ filter: /^\.\/applivery_oem\.js$/ }, () => ({ path: glue }));
      build.onResolve({ filter: /^\.\/applivery_bulk\.js$/ }, () => ({ path: bulkGlue }));
      build.onResolve({ filter: /^\.\/wasm-source\.js$/ }, () => variant('wasm-source'));
      build.onResolve({ filter: /^\.\/bulk-wasm-source\.js$/ }, () => variant('bulk-wasm-source'));
      build.onResolve({ filter: /^\.\/applivery_oem_bg\.wasm$/ }, () =>
        wasmFile(wasm, 'applivery_oem_bg.wasm'),
      );
      build.onResolve({ filter: /^\.\/applivery_bulk_bg\.wasm$/ }, () =>
        wasmFile(bulkWasm, 'applivery_bulk_bg.wasm'),
      );
      // The bulk engine is a file of its own, loaded by `import()` (in workerd.js it is inside).
      build.onResolve({ filter: /^\.\/bulk-engine\.js$/ }, () =>
        workerd
          ? { path: join(templateDir, 'bulk-engine.js') }
          : { path: './bulk-engine.js', external: true },
      );
      // A wasm-source file's import: the wasm, gzip, as a base64 string.
      build.onLoad({ filter: /.*/, namespace: 'gzip-base64' }, (args) => ({
        contents: embedded[args.path],
        loader: 'text',
      }));
    },
  };
}

const entries = [
  { entry: 'index.js', outfile: 'index.js', format: 'esm' },
  { entry: 'index.js', outfile: 'index.cjs', format: 'cjs' },
  { entry: 'bulk-engine.js', outfile: 'bulk-engine.js', format: 'esm' },
  { entry: 'index.js', outfile: 'workerd.js', format: 'esm', workerd: true },
];
for (const { entry, outfile, format, workerd = false } of entries) {
  await build({
    entryPoints: [join(templateDir, entry)],
    outfile: join(pkgDir, outfile),
    bundle: true,
    format,
    minify: true,
    // Not `keepNames` (0.7 KB gzip of index.js): the classes a user sees name themselves
    // (index.js), so `console.log(client)` still says `AppliveryClient`.
    target: 'es2022',
    // The glue's fallback `new URL('applivery_oem_bg.wasm', import.meta.url)` is never taken (the
    // wrapper always passes the module), but bundlers would copy the file for it, and
    // `import.meta` does not exist in CommonJS.
    define: { 'import.meta.url': 'undefined' },
    plugins: [packageFiles(workerd)],
    logLevel: 'warning',
  });
}
// The mock entries, ES modules and CommonJS (their wasm instantiated by mock-wasm.js and
// mock-wasm-node.js): its wasm is 15 times the client's, so zlib rather than zopfli (seconds
// saved on every build; it is a test tool, not downloaded by an app's users).
const mockGlue = join(pkgDir, 'applivery_mock.js');
const mockWasm = join(pkgDir, 'applivery_mock_bg.wasm');
const mockEmbedded = gzipSync(readFileSync(mockWasm), { level: 9 }).toString('base64');
const mockEntries = [
  { outfile: 'mock.js', format: 'esm', platform: 'neutral', instantiate: 'mock-wasm.js' },
  { outfile: 'mock.cjs', format: 'cjs', platform: 'node', instantiate: 'mock-wasm-node.js' },
];
for (const { outfile, format, platform, instantiate } of mockEntries) {
  await build({
    entryPoints: [join(templateDir, 'mock.js')],
    outfile: join(pkgDir, outfile),
    bundle: true,
    format,
    platform,
    minify: true,
    keepNames: true,
    target: 'es2022',
    define: { 'import.meta.url': 'undefined' },
    plugins: [
      {
        name: 'applivery-mock-files',
        setup(build) {
          build.onResolve({ filter: /^\.\/applivery_mock\.js$/ }, () => ({ path: mockGlue }));
          build.onResolve({ filter: /^\.\/mock-wasm\.js$/ }, () => ({
            path: join(templateDir, instantiate),
          }));
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
  entries.push({ outfile });
}
rmSync(mockGlue);
rmSync(mockWasm);
rmSync(glue);
rmSync(bulkGlue);
// The Rust crate's JS snippets (`#[wasm_bindgen(module = ...)]`), bundled like the glue.
rmSync(join(pkgDir, 'snippets'), { recursive: true, force: true });
console.log(`bundled ${entries.map((e) => e.outfile).join(', ')} into ${pkgDir}`);
