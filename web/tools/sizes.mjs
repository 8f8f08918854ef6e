// Prints, as JSON, the raw, gzip -9 and brotli (quality 11) sizes of the files given as
// arguments: `cargo xtask wasm` reads them, prints the table and enforces the budget.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const rows = process.argv.slice(2).map((file) => {
  const bytes = readFileSync(file);
  return {
    file: basename(file),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).length,
  };
});
process.stdout.write(JSON.stringify(rows));
