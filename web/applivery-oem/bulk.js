// Bulk runs (`createOemUsers`, `refreshOemUserSecrets`): the I/O of a `BulkRun` of the bulk
// module (crates/applivery-bulk-wasm, the Rust facade's scheduler), which decides everything
// (pace and push-back, retries, each input's outcome, their order, stopping). This loop reads
// inputs, sends attempts with `fetch`, waits and hands outcomes on. Each attempt is a call of
// the client's module that makes one attempt: validated, sent and classified as a single call.
// See crates/applivery-bulk-wasm/src/run.rs for the protocol.

// `run.next()`'s codes; any other number is milliseconds to wait, `[index, input]` an attempt.
const READ = -1;
const DRAIN = -2;
const WAIT = -3;
const DONE = -4;

/**
 * The async iterator of one run's outcomes, in input order, with `stop()` and `progress()`, over
 * the iterator `source` of its inputs. `open()` resolves to `{ run, prepare }`: the `BulkRun`,
 * and `prepare(input)`, an attempt's call (it throws the fields of an `invalid_input` error); it
 * throws an `AppliveryError` for bad options. `io` is the wrapper's `{ attempt, send, toError }`.
 */
export function bulkOutcomes(open, source, signal, io) {
  let run;
  let prepare;
  // The counters when the run ended (its wasm state is freed then).
  let last;
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

  // The next input: its first attempt, or its outcome `invalid` (nothing is sent).
  function start(input) {
    let call;
    try {
      call = prepare(input);
    } catch (fields) {
      run.invalid(input, fields);
      return;
    }
    send(run.start(input), call);
  }

  // Another attempt of input `index` (valid when it started: a failure here fails it).
  function retry(index, input) {
    let call;
    try {
      call = prepare(input);
    } catch (fields) {
      run.settle(index, { error: fields });
      return;
    }
    send(index, call);
  }

  // One attempt; its result goes to the run, which decides what comes of it.
  function send(index, call) {
    const request = call.request();
    request.call = call;
    request.timeoutMs = run.timeoutMs ?? request.timeoutMs;
    request.signal = abandon.signal;
    request.send = io.send;
    io.attempt(request)
      // Rejects only when abandoned: the run already counted it `unknown`.
      .then((step) => closed || run.settle(index, step), () => {})
      .finally(() => {
        call.free();
        poke();
      });
  }

  async function* outcomes() {
    try {
      ({ run, prepare } = await open());
      // The caller's signal stops the run (nothing new leaves); it aborts no request.
      signal?.addEventListener('abort', stop);
      for (let i = signal?.aborted ? Math.max(stops, 1) : stops; i > 0; i--) {
        if (run.stop()) abandon.abort();
      }
      for (;;) {
        for (let done = run.pop(); done !== undefined; done = run.pop()) yield shape(done, io.toError);
        const next = run.next();
        if (Array.isArray(next)) {
          retry(next[0], next[1]);
        } else if (next === READ || next === DRAIN) {
          const item = await source.next();
          if (item.done) run.endOfInput();
          else if (next === DRAIN) run.skip(item.value);
          else start(item.value);
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
      last = run?.progress();
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
  /** The run's counters (at its end once it ended); `undefined` before it starts. */
  iterator.progress = () => last ?? run?.progress();
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
