// The bulk module's wasm (crates/applivery-bulk-wasm) for bulk-engine.js: embedded (see
// inflate.js). The workerd entry replaces this file with bulk-wasm-source-workerd.js.
import gzipBase64 from './applivery_bulk_bg.wasm';
import { inflate } from './inflate.js';

/** The wasm's bytes. */
export function bulkWasmSource() {
  return inflate(gzipBase64);
}
