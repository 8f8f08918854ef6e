// The npm package's per-call cost: `createOemUser` against a raw `fetch` posting the same body
// (and parsing the JSON answer) to the release applivery-mock, in Node. Sequentially, then 16 at
// a time, interleaved in rounds so that both see the same machine; prints microseconds per call
// and the ratio package / raw, and the CPU time this process spent per call (the client's own
// cost, less disturbed than wall time on a busy machine).
//
// The package does not follow redirects (`redirect: 'error'`), which spares undici a copy of each
// request; so a third variant, the raw `fetch` with that option too, gives the like-for-like ratio.
// A fourth adds what the package's per-attempt timeout costs a raw `fetch` written with the same
// guarantee: an `AbortController` and a 30 s timer per request.
//
// Every variant first makes WARMUP calls, interleaved as the measured ones: per-round times of
// every variant fall by about half over the first few thousand calls of a process (V8 tiering
// up undici, the glue and the wasm; the mock's and the kernel's caches), and a short warm-up
// made the ratio a measure of who warms faster (the warm-up's ratios are printed last). Each
// variant's figure is the mean over all its measured calls; the median round is printed beside
// it, as it shrugs off a round that shared the 2 cores with something else.
//
// Last, the package's own work per create without I/O (see `ownWork`).
//
// usage (after `cargo xtask wasm` and `cargo build --release -p applivery-mock`):
//   node web/bench/npm-overhead.mjs [CALLS] [WARMUP]        (`cargo xtask bench npm`)
import { fileURLToPath } from 'node:url';

const calls = Number(process.argv[2] ?? 5000);
const warmup = Number(process.argv[3] ?? 3000);
const ROUND = 100;
const CONCURRENCY = 16;
const KEY = 'mock-api-key';
const ORG = 'demo-org';
process.env.APPLIVERY_MOCK_BIN ??= fileURLToPath(
  new URL('../../target/release/applivery-mock', import.meta.url),
);

// Imported after the line above: support/mock.mjs reads APPLIVERY_MOCK_BIN when it loads (a
// static import would run first and pick the debug build).
const { startMock } = await import('../test/support/mock.mjs');
const { AppliveryClient, init } = await import('../pkg/index.js');
const mock = await startMock();
await init();
const client = new AppliveryClient({ apiKey: KEY, baseUrl: mock.baseUrl });
const url = `${mock.baseUrl}/v1/organizations/${ORG}/oem/users`;

let serial = 0;
const user = (variant) => ({ email: `${variant}-${serial++}@example.com`, firstName: 'Ada' });

const variants = {
  package: async () => {
    const created = await client.createOemUser(ORG, user('package'));
    if (!created.id) throw new Error('no id');
  },
  fetch: () => rawFetch('fetch', {}),
  fetchNoRedirect: () => rawFetch('fetch-no-redirect', { redirect: 'error' }),
  fetchTimeout: async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      await rawFetch('fetch-timeout', { redirect: 'error', signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  },
};

async function rawFetch(variant, options) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(user(variant)),
    ...options,
  });
  const created = await response.json();
  if (!response.ok || !created.data?.collaborator?.id) throw new Error(`HTTP ${response.status}`);
}

/** Runs `count` calls of `call`, `parallel` at a time; returns [elapsed ns, this process's CPU us]. */
async function timed(call, count, parallel) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let left = count;
  const worker = async () => {
    while (left-- > 0) await call();
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const elapsed = Number(process.hrtime.bigint() - start);
  const { user, system } = process.cpuUsage(cpu);
  return [elapsed, user + system];
}

/** Rounds of `round` calls of each variant, in turn (which goes first rotates). */
async function rounds(parallel, count) {
  const names = Object.keys(variants);
  const round = ROUND * parallel;
  const times = Object.fromEntries(names.map((name) => [name, { ns: [], cpu: 0 }]));
  for (let r = 0; r < Math.ceil(count / round); r++) {
    // Rotated, so that none always follows another's garbage.
    for (const name of names.map((_, i) => names[(i + r) % names.length])) {
      const [elapsed, used] = await timed(variants[name], round, parallel);
      times[name].ns.push(elapsed / round);
      times[name].cpu += used;
    }
  }
  return times;
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function compare(parallel) {
  const cold = await rounds(parallel, warmup);
  const times = await rounds(parallel, calls);
  const measured = times.package.ns.length * ROUND * parallel;
  const ratioCold = (name) => (mean(cold.package.ns) / mean(cold[name].ns)).toFixed(3);
  const us = (name, statistic) => statistic(times[name].ns) / 1000;
  const figures = (name) =>
    `${us(name, mean).toFixed(1)} us/call (median round ${us(name, median).toFixed(1)})`;
  const ratio = (name) =>
    `ratio ${(us('package', mean) / us(name, mean)).toFixed(3)} ` +
    `(median ${(us('package', median) / us(name, median)).toFixed(3)})`;
  const cpu = (name) => (times[name].cpu / measured).toFixed(1);
  console.log(
    `concurrency ${String(parallel).padEnd(3)} ${measured} calls each after ${warmup} warm-up: ` +
      `package ${figures('package')}; raw fetch ${figures('fetch')}, ${ratio('fetch')}; ` +
      `raw fetch with redirect: 'error' ${figures('fetchNoRedirect')}, ${ratio('fetchNoRedirect')}; ` +
      `and a timeout signal ${figures('fetchTimeout')}, ${ratio('fetchTimeout')}; ` +
      `CPU of this process: package ${cpu('package')} us/call, raw fetch ${cpu('fetch')}, ` +
      `with redirect: 'error' ${cpu('fetchNoRedirect')}, and a timeout ${cpu('fetchTimeout')} us/call; ` +
      `during the warm-up, ratios ${ratioCold('fetch')}, ${ratioCold('fetchNoRedirect')}, ` +
      `${ratioCold('fetchTimeout')}`,
  );
}

/**
 * The package's own work per create, without I/O: a `fetch` double answers with the mock's
 * body for one create, held in memory, as a minimal response object (no stream machinery).
 * What is left of a call is validation, the wasm calls and their glue, the timeout's timer and
 * controller, and the wrapper's promises.
 */
async function ownWork(count) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(user('own-work')),
  });
  const body = new Uint8Array(await answer.arrayBuffer());
  const headers = new Map([['content-length', String(body.length)]]);
  const respond = async () => {
    let read = false;
    const reader = {
      read: async () => (read ? { done: true } : ((read = true), { done: false, value: body })),
      cancel: async () => {},
    };
    const get = (name) => headers.get(name) ?? null;
    return { status: 200, headers: { get }, body: { getReader: () => reader } };
  };
  const offline = new AppliveryClient({ apiKey: KEY, baseUrl: mock.baseUrl, fetch: respond });
  const create = () => offline.createOemUser(ORG, user('offline'));
  for (let i = 0; i < count; i++) await create();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await create();
  const us = Number(process.hrtime.bigint() - start) / count / 1000;
  console.log(
    `own work without I/O (a fetch double answering from memory): ${us.toFixed(1)} us per ` +
      `create, ${count} after ${count} warm-up`,
  );
}

try {
  await compare(1);
  await compare(CONCURRENCY);
  await ownWork(20_000);
} finally {
  await mock.stop();
}
