// Minifies a generated ES module in place with esbuild (whitespace, syntax and local names):
// used on wasm-bindgen's glue, which nobody reads and everybody downloads.
//
// usage: node minify.mjs FILE.js
import { readFileSync, writeFileSync } from 'node:fs';
import { transform } from 'esbuild';

const [file] = process.argv.slice(2);
const { code } = await transform(readFileSync(file, 'utf8'), {
  minify: true,
  format: 'esm',
  target: 'es2022',
});
writeFileSync(file, code);
