// The wasm modules embedded in the default, Node, Deno and Bun entries (index.js, index.cjs,
// bulk-engine.js) are gzip -9, then base64 (`cargo xtask wasm`, web/tools/bundle.mjs): so no
// bundler has to copy an asset and no fetch or file read is needed (Deno without --allow-read),
// and it costs what the .wasm costs: the base64 of gzip bytes gzips back to their size. Measured
// against the alternatives in ARCHITECTURE.md.

/** A module's bytes: base64 -> gzip bytes -> `DecompressionStream` (every runtime has it). */
export async function inflate(gzipBase64) {
  const text = atob(gzipBase64);
  const gzip = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) gzip[i] = text.charCodeAt(i);
  const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
