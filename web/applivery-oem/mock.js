// applivery-oem/mock: the Rust mock (crates/applivery-mock) compiled to WebAssembly, behind a
// `fetch`-compatible function, so JavaScript apps test against the same answers, checks, state
// and faults as Rust services do, without a Rust toolchain.
//
// A separate entry: the default bundle never carries it. `cargo xtask wasm` bundles this file
// with wasm-bindgen's glue of crates/applivery-mock-wasm and the wasm (gzip, base64) into
// web/pkg/mock.js (ES modules: the wasm instantiated at import, by mock-wasm.js) and
// web/pkg/mock.cjs (CommonJS, for `require` in Node: mock-wasm-node.js). Every test control is
// synchronous.
import { MockCore } from './mock-wasm.js';

/**
 * A new mock with its own state. Options and defaults are the `applivery-mock` binary's:
 * `apiKeys` (`['mock-api-key']`), `organizations` (`['demo-org']`), `blockedOrganizations`
 * (`['blocked-org']`), `latencyMs`, `rateLimit` (API requests per second), `faultEvery`
 * (`[[n, spec]]`).
 */
export function createMockFetch(options = {}) {
  const core = new MockCore(JSON.stringify(options));
  // Kept only to know whether `oemSecret` may leave the organization out; the keys are not kept.
  const organizations = options.organizations ?? ['demo-org'];
  const mock = (input, init) => send(core, input, init);
  const list = (text) => JSON.parse(text);
  Object.assign(mock, {
    fetch: mock,
    users: (organizationId) => list(core.users(organizationId)),
    requests: (organizationId) => list(core.requests(organizationId)),
    oemSecrets: (organizationId) => list(core.oemSecrets(organizationId)),
    oemSecret(email, organizationId) {
      if (organizationId === undefined) {
        if (organizations.length !== 1) {
          throw new TypeError(
            `applivery-oem/mock: oemSecret(email, organizationId): this mock has ${organizations.length} organizations`,
          );
        }
        organizationId = organizations[0];
      }
      const wanted = String(email).toLowerCase();
      return list(core.oemSecrets(organizationId)).find((s) => s.email.toLowerCase() === wanted)
        ?.oemSecret;
    },
    faultForEmail: (email, specs) => core.pushFaults(String(email), specList(specs)),
    pushFaults: (specs) => core.pushFaults(undefined, specList(specs)),
    requestCount: () => core.requestCount(),
    reset: () => core.reset(),
  });
  return mock;
}

function specList(specs) {
  return (typeof specs === 'string' ? [specs] : [...specs]).map(String);
}

// One request through the mock, answered as a runtime's `fetch` answers: a `Response`, a
// rejection for a connection closed without one (`drop`), a body that fails while being read
// (`truncated-json`), and the signal's reason when it aborts (a `hang` ends only so).
async function send(core, input, init = {}) {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input), 'http://localhost');
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers ?? request?.headers);
  const signal = init.signal ?? request?.signal;
  signal?.throwIfAborted();
  const body =
    init.body !== undefined
      ? init.body
      : request && method !== 'GET' && method !== 'HEAD'
        ? await request.clone().arrayBuffer()
        : undefined;
  const bytes = body == null ? new Uint8Array(0) : new Uint8Array(await new Response(body).arrayBuffer());
  signal?.throwIfAborted();
  const flat = [];
  headers.forEach((value, name) => flat.push(name, value));
  let onAbort;
  const aborted = signal && new Promise((resolve) => signal.addEventListener('abort', (onAbort = resolve)));
  try {
    const answer = await core.handle(method, url.pathname + url.search, flat, bytes, aborted);
    if (answer === null) throw signal.reason;
    if (answer === undefined) {
      throw new TypeError('fetch failed', {
        cause: new Error('applivery-oem/mock: the connection closed without a response (fault `drop`)'),
      });
    }
    return response(answer, method);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function response({ status, headers, body, failed, length }, method) {
  const out = new Headers();
  for (let i = 0; i < headers.length; i += 2) out.append(headers[i], headers[i + 1]);
  if (length !== undefined) out.set('content-length', String(length));
  const empty = method === 'HEAD' || status === 204 || status === 304;
  // A body that broke off: its bytes, then the error `fetch` gives a connection closed mid-body.
  let sent = false;
  const broken = new ReadableStream({
    pull(controller) {
      if (!sent && body.length) controller.enqueue(body);
      else controller.error(new TypeError('terminated'));
      sent = true;
    },
  });
  return new Response(empty ? null : failed ? broken : body, { status, headers: out });
}
