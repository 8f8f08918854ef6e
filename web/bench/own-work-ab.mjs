// Two builds of the package, A and B, compared on their own work per create (no I/O: a `fetch`
// double answers a recorded success body), in one process, in interleaved rounds: on a machine
// shared with other work, alternating rounds see the same load, which separate runs of
// npm-overhead.mjs do not. Used to weigh the allocator change (talc against the hand-written one).
//
// usage: node web/bench/own-work-ab.mjs A/index.js B/index.js [ROUNDS]
//   (copy web/pkg aside after `cargo xtask wasm` of each version)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pathA, pathB, rounds = '30'] = process.argv.slice(2);
const ROUND = 2000;
const id = '0123456789abcdef01234567';
const body = new TextEncoder().encode(
  JSON.stringify({
    status: true,
    data: {
      collaborator: {
        id,
        organization: id,
        role: 'unassigned',
        tags: [],
        user: { id, email: 'ada@example.com', firstName: 'Ada', role: 'user', ssoUser: false },
        detected: {},
        createdBy: id,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
      oemSecret: '0123456789abcdef'.repeat(3),
    },
  }),
);
const headers = new Map([['content-length', String(body.length)]]);
const respond = async () => {
  let read = false;
  const reader = {
    read: async () => (read ? { done: true } : ((read = true), { done: false, value: body })),
    cancel: async () => {},
  };
  return { status: 200, headers: { get: (n) => headers.get(n) ?? null }, body: { getReader: () => reader } };
};
async function client(path) {
  const { AppliveryClient, init } = await import(pathToFileURL(resolve(path)).href);
  await init();
  return new AppliveryClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1', fetch: respond });
}
const clients = { A: await client(pathA), B: await client(pathB) };
let serial = 0;
async function round(c, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await c.createOemUser('demo-org', { email: `u${serial++}@example.com`, firstName: 'Ada' });
  }
  return Number(process.hrtime.bigint() - start) / count / 1000;
}
for (const c of Object.values(clients)) await round(c, 10 * ROUND); // warm-up
const times = { A: [], B: [] };
for (let r = 0; r < Number(rounds); r++) {
  for (const k of r % 2 ? ['A', 'B'] : ['B', 'A']) times[k].push(await round(clients[k], ROUND));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(
  `own work per create, median of ${rounds} interleaved rounds of ${ROUND}: ` +
    `A ${median(times.A).toFixed(2)} us, B ${median(times.B).toFixed(2)} us ` +
    `(B - A ${(median(times.B) - median(times.A)).toFixed(2)} us); ` +
    `fastest round A ${Math.min(...times.A).toFixed(2)}, B ${Math.min(...times.B).toFixed(2)} us`,
);
