// applivery-oem: the JS face of the applivery Rust SDK compiled to WebAssembly.
//
// Everything that decides (validation, error kinds, retries, response decoding) runs in the
// wasm module; this file only loads it and gives it JS manners: a class, promises, an Error
// subclass and AbortSignal. The API key lives in wasm memory, never on a JS object.
import init, { Client, validateOemUser } from './applivery_oem.js';

// Loaded once, at import, with top-level await: no init call for users. Node 20's fetch cannot
// read file: URLs, so there the bytes come from the file system.
const wasmUrl = new URL('./applivery_oem_bg.wasm', import.meta.url);
await init({
  module_or_path:
    wasmUrl.protocol === 'file:'
      ? (await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises')).readFile(wasmUrl)
      : wasmUrl,
});

/** The field errors `createOemUser` would report for this user (empty: valid); sends nothing. */
export { validateOemUser };

/** A failed call; its fields come from the Rust error (`applivery::Error`). */
export class AppliveryError extends Error {
  constructor(fields) {
    super(fields.message);
    this.name = 'AppliveryError';
    this.kind = fields.kind;
    this.status = fields.status;
    this.code = fields.code;
    this.retryable = fields.retryable;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.fieldErrors = fields.fieldErrors;
    this.attempts = fields.attempts;
  }
}

export class AppliveryClient {
  #inner;

  constructor(options) {
    try {
      this.#inner = new Client(options);
    } catch (fields) {
      throw fields instanceof Error ? fields : new AppliveryError(fields);
    }
  }

  // Resolves to `{ ok }` or `{ error }` from the wasm side; only an abort rejects (with the
  // caller's reason, untouched, as `fetch` does).
  async createOemUser(organizationId, user, options) {
    const outcome = await this.#inner.createOemUser(organizationId, user, options?.signal);
    if (outcome.error) throw new AppliveryError(outcome.error);
    return outcome.ok;
  }
}
