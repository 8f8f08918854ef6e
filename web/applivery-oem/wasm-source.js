// The client's wasm for the default, Node, Deno and Bun entries (index.js, index.cjs): embedded
// (see inflate.js). The workerd entry replaces this file with wasm-source-workerd.js.
import gzipBase64 from './applivery_oem_bg.wasm';
import { inflate } from './inflate.js';

/** The wasm's bytes. */
export function wasmSource() {
  return inflate(gzipBase64);
}

/**
 * How `fetch` treats a redirect: not followed (the facade's rule: a redirected POST may be
 * replayed or turned into a GET), a 3xx rejects and is reported as `network`. Not following also
 * spares undici (Node's `fetch`) a copy of every request and a tee of its body, which it makes
 * only to be able to follow (measured in ARCHITECTURE.md).
 */
export const redirect = 'error';
