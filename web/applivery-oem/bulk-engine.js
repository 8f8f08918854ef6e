// What bulk runs need beyond a single call, loaded by the first one: index.js imports this file
// with `import()`, so the default entry does not carry it. The loop (bulk.js) and the bulk module
// (crates/applivery-bulk-wasm: the facade's scheduler). `cargo xtask wasm` bundles it with the
// module's glue and wasm into bulk-engine.js (the workerd entry takes it in whole).
import { BulkRun, initSync } from './applivery_bulk.js';
import { bulkOutcomes as loop } from './bulk.js';
import { bulkWasmSource } from './bulk-wasm-source.js';

/**
 * A run's async iterator of outcomes (bulk.js); `open(BulkRun)` makes its `{ run, prepare }`
 * once the module is instantiated.
 */
export function bulkOutcomes(open, source, signal, io) {
  return loop(async () => open(await loadBulkRun()), source, signal, io);
}

let instantiation;

/** Resolves to the `BulkRun` class once the module is instantiated (at once after the first time). */
function loadBulkRun() {
  instantiation ??= (async () => {
    const source = await bulkWasmSource();
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    initSync({ module });
    return BulkRun;
  })();
  return instantiation;
}
