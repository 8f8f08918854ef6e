// The wasm for the default, Node, Deno and Bun entries (index.js, index.cjs): gzip -9, then
// base64, embedded in the JS by `cargo xtask wasm` (web/tools/bundle.mjs). So no bundler has to
// copy an asset and no fetch or file read is needed (Deno without --allow-read), and it costs what
// the .wasm costs: the base64 of gzip bytes gzips back to their size. Measured against the
// alternatives in ARCHITECTURE.md.
import gzipBase64 from './applivery_oem_bg.wasm';

/** The wasm's bytes: base64 -> gzip bytes -> `DecompressionStream` (every runtime has it). */
export async function wasmSource() {
  const text = atob(gzipBase64);
  const gzip = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) gzip[i] = text.charCodeAt(i);
  const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * How `fetch` treats a redirect: not followed (the facade's rule: a redirected POST may be
 * replayed or turned into a GET), a 3xx rejects and is reported as `network`. Not following also
 * spares undici (Node's `fetch`) a copy of every request and a tee of its body, which it makes
 * only to be able to follow (measured in ARCHITECTURE.md).
 */
export const redirect = 'error';
