// Bulk runs (`createOemUsers`, `refreshOemUserSecrets`): the I/O of a wasm `BulkRun`. The
// Rust facade's scheduler in it decides everything (pace and push-back, retries, each input's
// outcome, their order, stopping); this loop reads inputs, sends attempts with `fetch`, waits and
// hands outcomes on. See crates/applivery-wasm/src/bulk.rs for the protocol.

// `run.next()`'s codes; any other number is milliseconds to wait, a `Call` is an attempt to send.
const READ = -1;
const DRAIN = -2;
const WAIT = -3;
const DONE = -4;

/**
 * The async iterator of one run's outcomes, in input order, with `stop()`. `makeRun()` resolves
 * to the wasm `BulkRun` (it throws a config error's fields for bad options); `io` is the
 * wrapper's `{ attempt, send, toError }`.
 */
export function bulkOutcomes(makeRun, inputs, signal, io) {
  const source = inputs?.[Symbol.asyncIterator]?.() ?? inputs?.[Symbol.iterator]?.();
  if (!source) throw new TypeError('applivery-oem: the inputs must be iterable or async iterable');
  let run;
  let stops = 0;
  let closed = false;
  // Aborts the requests in flight, once the run abandons them (a second stop).
  const abandon = new AbortController();
  let wake;
  const poke = () => wake?.();
  const stop = () => {
    stops++;
    if (run && !closed && run.stop()) abandon.abort();
    poke();
  };

  // One attempt; its result goes to the run, which decides what comes of it.
  function send(call) {
    const request = {
      call,
      method: call.method,
      url: call.url,
      body: call.body,
      timeoutMs: run.timeoutMs,
      maxResponseBytes: call.maxResponseBytes,
      signal: abandon.signal,
      send: io.send,
    };
    io.attempt(request)
      // Rejects only when abandoned: the run already counted it `unknown`.
      .then(() => closed || run.settle(call), () => {})
      .finally(() => {
        call.free();
        poke();
      });
  }

  async function* outcomes() {
    try {
      run = await makeRun();
      // The caller's signal stops the run (nothing new leaves); it aborts no request.
      signal?.addEventListener('abort', stop);
      for (let i = signal?.aborted ? Math.max(stops, 1) : stops; i > 0; i--) {
        if (run.stop()) abandon.abort();
      }
      for (;;) {
        for (let done = run.pop(); done !== undefined; done = run.pop()) yield shape(done, io.toError);
        const next = run.next();
        if (typeof next === 'object') {
          send(next);
        } else if (next === READ || next === DRAIN) {
          const item = await source.next();
          if (item.done) run.endOfInput();
          else if (next === DRAIN) run.skip(item.value);
          else {
            const call = run.start(item.value);
            if (call) send(call);
          }
        } else if (next === DONE) {
          return;
        } else {
          // Until an answer (or a stop), or the time the run named.
          await new Promise((resolve) => {
            const timer = next >= 0 ? setTimeout(resolve, next) : undefined;
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      }
    } finally {
      // Also when the consumer leaves early: what is in flight is abandoned.
      closed = true;
      // Only added once the run exists (its options, `signal` included, were checked).
      if (run) signal?.removeEventListener('abort', stop);
      abandon.abort();
      run?.free();
      try {
        source.return?.();
      } catch {
        // The input's own clean-up failing is not the run's error.
      }
    }
  }

  const iterator = outcomes();
  /**
   * The first call lets nothing new leave (the rest is `not_sent`) and lets the requests in
   * flight finish; a second abandons them (`unknown`).
   */
  iterator.stop = stop;
  return iterator;
}

/** An outcome as the caller sees it: an `AppliveryError`, the secret beside the collaborator. */
function shape(done, toError) {
  if (done.error) done.error = toError(done.error);
  // The `OemSecret` itself (in wasm memory, printed `[redacted]`), as `createOemUser` gives it.
  const secret = done.collaborator?.oemSecret;
  if (secret) done.oemSecret = secret;
  return done;
}
