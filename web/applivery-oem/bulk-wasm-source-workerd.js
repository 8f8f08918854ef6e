// The bulk module's wasm for the workerd entry: a `.wasm` import, compiled by wrangler or
// miniflare (see wasm-source-workerd.js); the package ships the file beside workerd.js.
import module from './applivery_bulk_bg.wasm';

export function bulkWasmSource() {
  return module;
}
