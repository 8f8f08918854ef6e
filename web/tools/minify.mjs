// Minifies an ES module in place with esbuild (whitespace, syntax and local names): used on
// wasm-bindgen's glue and on the package's wrapper, which everybody downloads. The readable
// wrapper is web/applivery-oem/index.js.
//
// usage: node minify.mjs FILE.js [--keep-names]
import { readFileSync, writeFileSync } from 'node:fs';
import { transform } from 'esbuild';

const [file, ...flags] = process.argv.slice(2);
const { code } = await transform(readFileSync(file, 'utf8'), {
  minify: true,
  // For the wrapper: `console.log(client)` must still say `AppliveryClient`.
  keepNames: flags.includes('--keep-names'),
  format: 'esm',
  target: 'es2022',
});
// esbuild drops every comment, but bundlers need these to leave Node's `fs` import alone.
const bundlerHints = '/* webpackIgnore: true */ /* @vite-ignore */ ';
writeFileSync(file, code.replaceAll('import("node:', `import(${bundlerHints}"node:`));
