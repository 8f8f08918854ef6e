// applivery-oem: the JS face of the applivery Rust SDK compiled to WebAssembly.
//
// Everything that decides (validation, error kinds, retries, response decoding) runs in the
// wasm module; this file only loads it and gives it JS manners: a class, promises, an Error
// subclass and AbortSignal. The API key lives in wasm memory, never on a JS object.
import init, { Client } from './applivery_oem.js';

// Loaded once, at import, with top-level await: no init call for users. Node 20's fetch cannot
// read file: URLs, so there the bytes come from the file system.
const wasmUrl = new URL('./applivery_oem_bg.wasm', import.meta.url);
await init({
  module_or_path:
    wasmUrl.protocol === 'file:'
      ? (await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises')).readFile(wasmUrl)
      : wasmUrl,
});

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

// The wasm side rejects with the error's JSON text; anything else (the caller's abort reason)
// passes through untouched, as `fetch` does.
function rethrow(error) {
  throw typeof error === 'string' ? new AppliveryError(JSON.parse(error)) : error;
}

export class AppliveryClient {
  #inner;

  constructor(options) {
    try {
      this.#inner = new Client(options);
    } catch (error) {
      rethrow(error);
    }
  }

  async createOemUser(organizationId, user, options) {
    try {
      return JSON.parse(await this.#inner.createOemUser(organizationId, user, options?.signal));
    } catch (error) {
      rethrow(error);
    }
  }
}
