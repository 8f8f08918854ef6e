// The npm package's per-call cost: `createOemUser` against a raw `fetch` posting the same body
// (and parsing the JSON answer) to the release applivery-mock, in Node. Sequentially, then 16 at
// a time, interleaved in rounds so that both see the same machine; prints microseconds per call
// and the ratio package / raw, and the CPU time this process spent per call (the client's own
// cost, less disturbed than wall time on a busy machine).
//
// The package does not follow redirects (`redirect: 'error'`), which spares undici a copy of each
// request; so a third variant, the raw `fetch` with that option too, gives the like-for-like ratio.
//
// usage (after `cargo xtask wasm` and `cargo build --release -p applivery-mock`):
//   node web/bench/npm-overhead.mjs [CALLS]        (`cargo xtask bench npm`)
import { fileURLToPath } from 'node:url';

const calls = Number(process.argv[2] ?? 5000);
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

async function compare(parallel) {
  const names = Object.keys(variants);
  const total = Object.fromEntries(names.map((name) => [name, 0]));
  const cpu = { ...total };
  const round = ROUND * parallel;
  const rounds = Math.ceil(calls / round);
  for (const call of Object.values(variants)) await timed(call, round, parallel); // warm-up
  for (let r = 0; r < rounds; r++) {
    // Rotate which goes first, so none always follows another's garbage.
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const [elapsed, used] = await timed(variants[name], round, parallel);
      total[name] += elapsed;
      cpu[name] += used;
    }
  }
  const perCall = (name) => total[name] / (rounds * round) / 1000;
  const cpuPerCall = (name) => cpu[name] / (rounds * round);
  console.log(
    `concurrency ${String(parallel).padEnd(3)} ${rounds * round} calls each: ` +
      `package ${perCall('package').toFixed(1)} us/call, raw fetch ${perCall('fetch').toFixed(1)} us/call, ` +
      `ratio ${(total.package / total.fetch).toFixed(3)}; ` +
      `raw fetch with redirect: 'error' ${perCall('fetchNoRedirect').toFixed(1)} us/call, ` +
      `ratio ${(total.package / total.fetchNoRedirect).toFixed(3)}; ` +
      `CPU of this process: package ${cpuPerCall('package').toFixed(1)} us/call, ` +
      `raw fetch ${cpuPerCall('fetch').toFixed(1)}, with redirect: 'error' ` +
      `${cpuPerCall('fetchNoRedirect').toFixed(1)} us/call`,
  );
}

try {
  await compare(1);
  await compare(CONCURRENCY);
} finally {
  await mock.stop();
}
