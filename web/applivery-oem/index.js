// applivery-oem: the JS face of the applivery Rust SDK compiled to WebAssembly.
//
// Everything that decides (validation, error kinds, retries, response classification) runs in
// the wasm module; this file instantiates it and does the I/O it asks for: `fetch`, the
// per-attempt timeout, the waits between retries and AbortSignal. The API key lives in wasm memory
// and is only handed to `fetch` in each attempt's headers, never kept on a JS object.
//
// `cargo xtask wasm` bundles this file with wasm-bindgen's glue into one file per entry of the
// package (index.js, index.cjs, workerd.js); `./wasm-source.js` is replaced per entry.
import {
  Client,
  OemSecret,
  initSync,
  errorGuide as errorGuideInWasm,
  neutralizeCsvCell as neutralizeCsvCellInWasm,
  oemUserFields as oemUserFieldsInWasm,
  readCsvHeader as readCsvHeaderInWasm,
  restoreCsvCell as restoreCsvCellInWasm,
  validateOemUser as validateInWasm,
} from './applivery_oem.js';
import { OPERATIONS } from './operations.js';
import { redirect, wasmSource } from './wasm-source.js';

// The operations a bulk run repeats, by their index in the table.
const CREATE_USER = OPERATIONS.findIndex(([id]) => id === 'createOemUser');
const REFRESH_SECRET = OPERATIONS.findIndex(([id]) => id === 'refreshOemUserSecret');

// No top-level await: importing costs nothing. The wasm is instantiated by `init()`, which
// `createOemUser` awaits, so the first call does it unless the caller did earlier.
let instantiation;
let instantiated = false;

/**
 * Compiles and instantiates the wasm; resolves when done (at once after the first time). Optional
 * before `createOemUser`; needed before `validateOemUser`, which is synchronous.
 */
export function init() {
  instantiation ??= (async () => {
    const source = await wasmSource();
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    initSync({ module });
    instantiated = true;
  })();
  return instantiation;
}

/** The field errors `createOemUser` would report for this user (empty: valid); sends nothing. */
/** The new user's OEM secret: `expose()` reads it; it prints and serializes as `[redacted]`. */
export { OemSecret };

/** Throws unless `init()` has finished: the synchronous exports need the instantiated wasm. */
function requireInit(name) {
  if (!instantiated) {
    throw new Error(`applivery-oem: \`await init()\` before calling ${name}`);
  }
}

export function validateOemUser(user) {
  requireInit('validateOemUser');
  return validateInWasm(user);
}

/** What each error kind means and what to do (after `init()`). */
export function errorGuide() {
  requireInit('errorGuide');
  return errorGuideInWasm();
}

/** The request's properties, from the spec (after `init()`): for forms and file columns. */
export function oemUserFields() {
  requireInit('oemUserFields');
  return oemUserFieldsInWasm();
}

/** The CSV import header rule of the CLI: header cells to request properties (after `init()`). */
export function readCsvHeader(cells) {
  requireInit('readCsvHeader');
  return readCsvHeaderInWasm(cells);
}

/**
 * The CLI's CSV formula-injection rule for a cell being written: one more leading `'` when it
 * starts with `=`, `+`, `-`, `@`, tab, carriage return or `'` (after `init()`).
 */
export function neutralizeCsvCell(cell) {
  requireInit('neutralizeCsvCell');
  return neutralizeCsvCellInWasm(cell);
}

/** The inverse of `neutralizeCsvCell`, for a cell being read (after `init()`). */
export function restoreCsvCell(cell) {
  requireInit('restoreCsvCell');
  return restoreCsvCellInWasm(cell);
}

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
  #fetch;

  constructor(options) {
    // Options are checked in wasm: now if it is ready, else once `init()` is done (a config error
    // then rejects the first call). Only the pending closure holds `options` until then.
    this.#inner = instantiated
      ? rethrow(() => new Client(options))
      : init().then(() => rethrow(() => new Client(options)));
    // Reported by the first call, not as an unhandled rejection if there is none.
    if (this.#inner instanceof Promise) this.#inner.catch(() => {});
    // The global is looked up per call (test tools patch it), and neither is called as a
    // method: a browser's `fetch` throws then.
    const custom = options?.fetch;
    this.#fetch = custom ? (url, init) => custom(url, init) : (url, init) => fetch(url, init);
  }

  // One method per operation of the spec (operations.js, generated from it): path parameters,
  // then the body if the operation takes one, then `options` (query parameters by name, `signal`).
  // A paged operation is an async iterator of its items, and `<operationId>Page` gives one page.
  static {
    OPERATIONS.forEach(([id, path, body, paged], index) => {
      const arity = path.length + (body ? 1 : 0);
      if (!paged) {
        this.prototype[id] = async function (...args) {
          return this.#operation(index, args, args[arity], undefined);
        };
        return;
      }
      this.prototype[`${id}Page`] = async function (...args) {
        return (await this.#operation(index, args, args[arity + 1], args[arity], true)).page;
      };
      this.prototype[id] = async function* (...args) {
        let next = 1;
        while (next !== undefined) {
          const { page, following } = await this.#operation(index, args, args[arity], next, true);
          yield* page.items;
          next = following;
        }
      };
    });
  }

  /** Creates one OEM user per input; an async iterator of outcomes in input order (bulk.js). */
  createOemUsers(organizationId, users, options) {
    return this.#bulk(false, organizationId, users, options);
  }

  /** Gives each collaborator id a new OEM secret; an async iterator of outcomes in input order. */
  refreshOemUserSecrets(organizationId, ids, options) {
    return this.#bulk(true, organizationId, ids, options);
  }

  // A bulk run: bulk-engine.js, loaded by the first run, holds its loop (bulk.js) and the bulk
  // module, whose scheduler decides; each attempt is validated, sent and classified here as a
  // single call is. The iterator exists at once; the engine is loaded by its first `next()`.
  #bulk(refresh, organizationId, inputs, options) {
    const source = inputs?.[Symbol.asyncIterator]?.() ?? inputs?.[Symbol.iterator]?.();
    if (!source) throw new TypeError('applivery-oem: the inputs must be iterable or async iterable');
    const open = async (BulkRun) => {
      const inner = await this.#inner;
      const operation = refresh ? REFRESH_SECRET : CREATE_USER;
      return {
        run: rethrow(() => new BulkRun(refresh, options)),
        // Throws the fields of an `invalid_input` error for an input that breaks a rule.
        prepare: (input) =>
          refresh
            ? inner.prepareAttempt(operation, [organizationId, input], undefined)
            : inner.prepareAttempt(operation, [organizationId], input),
      };
    };
    const io = { attempt, send: this.#fetch, toError: (fields) => new AppliveryError(fields) };
    let run;
    let stops = 0;
    const outcomes = (async function* () {
      const { bulkOutcomes } = await import('./bulk-engine.js');
      run = bulkOutcomes(open, source, options?.signal, io);
      for (; stops > 0; stops--) run.stop();
      yield* run;
    })();
    outcomes.stop = () => {
      if (run) run.stop();
      else stops++;
    };
    outcomes.progress = () => run?.progress();
    return outcomes;
  }

  // One call of operation `index`: `args` starts with its path arguments and body. With
  // `withFollowing`, resolves to `{ page, following }` (the page after it, if any).
  async #operation(index, args, options, page, withFollowing) {
    const signal = options?.signal;
    const inner = await this.#inner;
    const [, path, body] = OPERATIONS[index];
    const pathArgs = args.slice(0, path.length);
    const call = rethrow(() =>
      inner.prepareOperation(index, pathArgs, body ? args[path.length] : undefined, options, page, signal),
    );
    if (!withFollowing) return this.#run(call, signal);
    let following;
    const result = await this.#run(call, signal, () => {
      following = call.following;
    });
    return { page: result, following };
  }

  // The attempts of one call, its retries and waits; `done` reads the call before it is freed.
  async #run(call, signal, done) {
    try {
      // What every attempt of the call shares, read from wasm once.
      const request = call.request();
      request.call = call;
      request.signal = signal;
      request.send = this.#fetch;
      for (;;) {
        signal?.throwIfAborted();
        const step = await attempt(request);
        if (step.retryInMs === undefined) {
          if (step.error) throw new AppliveryError(step.error);
          done?.();
          return step.ok;
        }
        await sleep(step.retryInMs, signal);
      }
    } finally {
      call.free();
    }
  }
}

// The bundle is minified without esbuild's `keepNames` (it costs 0.7 KB gzip): the classes a user
// meets keep their names here, for `console.log` and stack traces.
for (const [name, type] of Object.entries({ AppliveryClient, AppliveryError, OemSecret })) {
  Object.defineProperty(type, 'name', { value: name });
}

// The wasm side throws an `AppliveryError`'s fields; anything else is a bug and passes through.
function rethrow(build) {
  try {
    return build();
  } catch (fields) {
    throw fields instanceof Error ? fields : new AppliveryError(fields);
  }
}

// Controllers for the per-attempt timeout, each lent to one attempt at a time. Making an
// `AbortController` per attempt (and undici's bookkeeping for each new signal handed to `fetch`)
// was about a tenth of a call in Node; a controller whose attempt ended without an abort goes back
// here and serves a later attempt. Nothing else aborts it: only its own attempt's timer or the
// caller's signal while it is lent, so an abort never reaches another attempt, and a finished
// request ignores an abort of the signal it was given. Each serves at most `LEASE_USES` attempts
// (`fetch` leaves a listener on the signal until the request is garbage: a few dozen, never
// Node's warning), and at most `IDLE_LEASES` wait (the highest concurrency seen, bounded).
const idle = [];
const LEASE_USES = 32;
const IDLE_LEASES = 64;

function lease() {
  const reused = idle.pop();
  if (reused) return reused;
  const controller = new AbortController();
  return { controller, abort: () => controller.abort(), uses: 0 };
}

// One HTTP exchange; resolves to the call's next step. Only the caller's abort rejects, with
// the signal's reason, as `fetch` does.
async function attempt({ call, method, url, body, timeoutMs, maxResponseBytes, signal, send }) {
  // A controller only for a timeout. Without a timeout the caller's signal (if any) goes to
  // `fetch` as it is.
  const lent = timeoutMs > 0 ? lease() : undefined;
  const controller = lent?.controller;
  const timer = lent && setTimeout(lent.abort, timeoutMs);
  if (lent) {
    lent.uses++;
    signal?.addEventListener('abort', lent.abort);
  }
  // Only `Authorization`, and `Content-Type` with a body, so a browser's CORS preflight asks for
  // nothing a server would refuse. The key is in wasm memory until this line, and this object
  // goes to `fetch` only.
  const authorization = call.attemptAuthorization();
  const init =
    body === undefined
      ? { method, headers: { Authorization: authorization }, redirect, signal: controller?.signal ?? signal }
      : {
          method,
          headers: { Authorization: authorization, 'Content-Type': 'application/json' },
          body,
          redirect,
          signal: controller?.signal ?? signal,
        };
  try {
    const response = await send(url, init);
    // Not looked up for a 2xx answer: classification reads Retry-After only for the others.
    const { status } = response;
    const success = status >= 200 && status < 300;
    const retryAfter = success ? undefined : (response.headers.get('retry-after') ?? undefined);
    const announced = Number(response.headers.get('content-length'));
    const answer =
      announced > maxResponseBytes ? undefined : await read(response, maxResponseBytes);
    if (!answer) {
      // Closes the connection instead of downloading what will be refused.
      controller?.abort();
      response.body?.cancel().catch(() => {});
      return call.tooLarge(status);
    }
    return call.answered(status, retryAfter, answer);
  } catch (error) {
    signal?.throwIfAborted();
    return call.failed(error, controller?.signal.aborted ?? false);
  } finally {
    if (lent) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', lent.abort);
      // The request is over: its body read to the end or cancelled, or `fetch` rejected.
      if (!controller.signal.aborted && lent.uses < LEASE_USES && idle.length < IDLE_LEASES) {
        idle.push(lent);
      }
    }
  }
}

// The whole body, or undefined as soon as it exceeds `max` bytes (announced or not): a huge
// answer is never held in memory, and a compressed one is counted as it is inflated (browsers
// hide Content-Encoding from cross-origin code, so Content-Length alone proves nothing).
async function read(response, max) {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  // Small answers come in one chunk: no copy.
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  size = 0;
  for (const chunk of chunks) {
    body.set(chunk, size);
    size += chunk.length;
  }
  return body;
}

// Waits between attempts; an abort ends the wait and rejects with the signal's reason.
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
