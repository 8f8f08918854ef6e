// Bulk runs of the package (createOemUsers, refreshOemUserSecrets) against the real
// applivery-mock: outcomes in input order, invalid inputs never sent, a stop midway (every input
// accounted for), a second stop abandoning what is in flight, 429 push-back retried by the run
// (and counted by progress()), secrets hidden. The scenarios run in Node (the packed tarball)
// and in real Chromium (web/pkg served to a page on another port).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

import { chromium } from 'playwright-core';

import { installPackedPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));

// Each scenario is self-contained (it is also sent to the browser as source): it imports the
// package from `pkgUrl`, runs against `baseUrl` and returns plain data to check.

/** 8 users, two invalid (index 2 and 5) and one already registered (index 6). */
async function ordered({ pkgUrl, baseUrl }) {
  const { AppliveryClient } = await import(pkgUrl);
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
  await client.createOemUser('demo-org', { email: 'taken@example.com' });
  async function* users() {
    for (let i = 0; i < 8; i++) {
      const email = i === 2 ? 'no-at-sign' : i === 5 ? '' : i === 6 ? 'taken@example.com' : `bulk.${i}@example.com`;
      yield { email, firstName: `U${i}` };
    }
  }
  const out = [];
  for await (const o of client.createOemUsers('demo-org', users(), { concurrency: 3 })) {
    out.push({
      index: o.index,
      email: o.input.email,
      outcome: o.outcome,
      id: o.collaborator?.id,
      secret: o.oemSecret?.expose(),
      shown: JSON.stringify(o) + String(o.oemSecret),
      errorKind: o.error?.kind,
      errorName: o.error?.name,
      fields: o.error?.fieldErrors?.map((e) => e.field),
    });
  }
  return out;
}

/** 429 push-back queued by the test: the run retries, every user is created; its counters. */
async function pushBack({ pkgUrl, baseUrl }) {
  const { AppliveryClient } = await import(pkgUrl);
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
  const users = Array.from({ length: 6 }, (_, i) => ({ email: `push.${i}@example.com` }));
  const run = client.createOemUsers('demo-org', users, { concurrency: 4 });
  const before = run.progress();
  const outcomes = [];
  for await (const o of run) outcomes.push(o.outcome);
  return { outcomes, before, after: run.progress() };
}

/** Stops (by its signal) after the third outcome, on a slow server. */
async function abortMidway({ pkgUrl, baseUrl }) {
  const { AppliveryClient } = await import(pkgUrl);
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
  const users = Array.from({ length: 20 }, (_, i) => ({ email: `stop.${i}@example.com` }));
  const controller = new AbortController();
  const out = [];
  for await (const o of client.createOemUsers('demo-org', users, { concurrency: 2, signal: controller.signal })) {
    out.push({ index: o.index, outcome: o.outcome });
    if (out.length === 3) controller.abort();
  }
  return out;
}

/** Two requests hang; stop() twice: they are abandoned (`unknown`), the rest never sent. */
async function secondStop({ pkgUrl, baseUrl }) {
  const { AppliveryClient } = await import(pkgUrl);
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
  const users = Array.from({ length: 5 }, (_, i) => ({ email: `hang.${i}@example.com` }));
  const run = client.createOemUsers('demo-org', users, { concurrency: 2 });
  setTimeout(() => {
    run.stop();
    run.stop();
  }, 300);
  const outcomes = [];
  for await (const o of run) outcomes.push(o.outcome);
  return { outcomes, progress: run.progress() };
}

/** A refused key concerns every input: the first fails, nothing more is sent. */
async function refusedKey({ pkgUrl, baseUrl }) {
  const { AppliveryClient } = await import(pkgUrl);
  const client = new AppliveryClient({ apiKey: 'not-the-key', baseUrl });
  const users = Array.from({ length: 4 }, (_, i) => ({ email: `refused.${i}@example.com` }));
  const run = client.createOemUsers('demo-org', users, { concurrency: 1 });
  const outcomes = [];
  for await (const o of run) outcomes.push([o.outcome, o.error?.kind ?? null]);
  return { outcomes, progress: run.progress() };
}

let mock;
let slowMock;
let installed;
let site;
let context;
let profile;

/** Serves web/pkg at /pkg/ and an empty page at /. */
function startSite() {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url, 'http://x').pathname);
    if (path === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bulk</title>');
    if (!path.startsWith('/pkg/')) return response.writeHead(404).end();
    try {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(webDir, path)));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

before(async () => {
  installed = installPackedPackage().dir;
  mock = await startMock();
  slowMock = await startMock(['--latency-ms', '150']);
  site = await startSite();
  profile = mkdtempSync(join(tmpdir(), 'applivery-bulk-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  site?.server.close();
  await mock?.stop();
  await slowMock?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

beforeEach(async () => {
  await mock.reset();
  await slowMock.reset();
});

const nodePkg = () => pathToFileURL(join(installed, 'node_modules', 'applivery-oem', 'index.js')).href;

/** Runs `scenario` in Node and in Chromium, with a fresh mock (and `setup`) before each. */
async function both(scenario, server, setup, check) {
  await server.reset();
  await setup?.();
  check(await scenario({ pkgUrl: nodePkg(), baseUrl: server.baseUrl }), 'node', server);
  await server.reset();
  await setup?.();
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  const result = await page.evaluate(scenario, { pkgUrl: `${site.url}/pkg/index.js`, baseUrl: server.baseUrl });
  await page.close();
  check(result, 'chromium', server);
}

test('outcomes come in input order; invalid inputs are never sent; secrets are OemSecrets', async () => {
  let stored;
  // Checked per runtime: the mock's state is read right after each run.
  for (const runtime of ['node', 'chromium']) {
    await mock.reset();
    const out =
      runtime === 'node'
        ? await ordered({ pkgUrl: nodePkg(), baseUrl: mock.baseUrl })
        : await (async () => {
            const page = await context.newPage();
            await page.goto(`${site.url}/`);
            const r = await page.evaluate(ordered, { pkgUrl: `${site.url}/pkg/index.js`, baseUrl: mock.baseUrl });
            await page.close();
            return r;
          })();
    stored = await mock.oemSecrets();
    assert.deepEqual(out.map((o) => o.index), [0, 1, 2, 3, 4, 5, 6, 7], runtime);
    assert.deepEqual(
      out.map((o) => o.outcome),
      ['created', 'created', 'invalid', 'created', 'created', 'invalid', 'already_registered', 'created'],
      runtime,
    );
    assert.deepEqual(out[2].fields, ['email'], runtime);
    assert.equal(out[2].errorName, 'AppliveryError');
    assert.equal(out[2].errorKind, 'invalid_input');
    assert.equal(out[6].errorKind, 'already_registered');
    // Nothing was sent for the invalid ones: taken@ plus the five created.
    assert.equal(stored.length, 6, runtime);
    for (const o of out.filter((o) => o.outcome === 'created')) {
      const mine = stored.find((s) => s.collaboratorId === o.id);
      assert.equal(o.secret, mine.oemSecret, runtime);
      assert.ok(!o.shown.includes(mine.oemSecret), runtime);
    }
  }
});

test('a 429 push-back is retried by the run, honouring Retry-After; its counters say so', async () => {
  await both(pushBack, mock, () => mock.faults(['status=429,retry-after=1', 'status=429,retry-after=1']), (out, runtime) => {
    assert.deepEqual(out.outcomes, Array(6).fill('created'), runtime);
    assert.equal(out.before, undefined, runtime);
    const { after } = out;
    assert.equal(after.read, 6, runtime);
    assert.equal(after.created, 6, runtime);
    assert.equal(after.inFlight, 0, runtime);
    assert.equal(after.pushBacks, 2, runtime);
    assert.equal(after.retries, 2, runtime);
    assert.equal(after.sent, 8, runtime);
    assert.ok(after.lowestLimit < 4, `${runtime}: lowest limit ${after.lowestLimit}`);
    assert.equal(after.stopped, null, runtime);
  });
  assert.equal((await mock.users()).length, 6);
});

test('aborting the signal midway: the rest is not_sent, in flight finishes, every input accounted', async () => {
  for (const runtime of ['node', 'chromium']) {
    await slowMock.reset();
    let out;
    if (runtime === 'node') out = await abortMidway({ pkgUrl: nodePkg(), baseUrl: slowMock.baseUrl });
    else {
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      out = await page.evaluate(abortMidway, { pkgUrl: `${site.url}/pkg/index.js`, baseUrl: slowMock.baseUrl });
      await page.close();
    }
    assert.deepEqual(out.map((o) => o.index), [...Array(20).keys()], runtime);
    const created = out.filter((o) => o.outcome === 'created').length;
    assert.ok(created >= 3 && created < 10, `${runtime}: ${created} created`);
    assert.deepEqual(new Set(out.map((o) => o.outcome)), new Set(['created', 'not_sent']), runtime);
    // What the run reports created is exactly what the server holds.
    assert.equal((await slowMock.users()).length, created, runtime);
  }
});

test('a second stop() abandons the requests in flight as unknown', async () => {
  await both(secondStop, mock, () => mock.faults(['hang', 'hang']), (out, runtime) => {
    assert.deepEqual(out.outcomes, ['unknown', 'unknown', 'not_sent', 'not_sent', 'not_sent'], runtime);
    assert.equal(out.progress.inFlight, 0, runtime);
    assert.equal(out.progress.unknown, 2, runtime);
    assert.equal(out.progress.notSent, 3, runtime);
    assert.equal(out.progress.stopped, 'requested', runtime);
  });
});

test('a refused key stops the run: the input that got it fails, the rest are not sent', async () => {
  await both(refusedKey, mock, undefined, (out, runtime) => {
    assert.deepEqual(
      out.outcomes,
      [['failed', 'unauthorized'], ['not_sent', null], ['not_sent', null], ['not_sent', null]],
      runtime,
    );
    assert.equal(out.progress.stopped, 'fatal', runtime);
    assert.equal(out.progress.sent, 1, runtime);
  });
  assert.deepEqual(await mock.users(), []);
});

test('refreshOemUserSecrets: new secrets in order, unknown and invalid ids reported', async () => {
  const { AppliveryClient, AppliveryError } = await import(nodePkg());
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: mock.baseUrl });
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await client.createOemUser('demo-org', { email: `r.${i}@example.com` })).id);
  const before = await mock.oemSecrets();
  const input = [ids[0], '', ids[1], 'ffffffffffffffffffffffff', ids[2]];
  const out = [];
  for await (const o of client.refreshOemUserSecrets('demo-org', input, { concurrency: 2 })) out.push(o);
  assert.deepEqual(out.map((o) => o.input), input);
  assert.deepEqual(out.map((o) => o.outcome), ['refreshed', 'invalid', 'refreshed', 'failed', 'refreshed']);
  assert.ok(out[1].error instanceof AppliveryError);
  assert.equal(out[3].error.kind, 'not_found');
  const after = await mock.oemSecrets();
  for (const o of out.filter((o) => o.outcome === 'refreshed')) {
    const now = after.find((s) => s.collaboratorId === o.input).oemSecret;
    assert.equal(o.oemSecret.expose(), now);
    assert.notEqual(now, before.find((s) => s.collaboratorId === o.input).oemSecret);
    assert.ok(!inspect(o, { depth: 10, showHidden: true }).includes(now));
    assert.ok(!JSON.stringify(o).includes(now));
  }
});

test('bad options reject the first next() with a config error; nothing is sent', async () => {
  const { AppliveryClient } = await import(nodePkg());
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: mock.baseUrl });
  for (const options of [{ concurrency: 0 }, { maxAttempts: 1.5 }, { timeoutMs: -1 }, { signal: {} }]) {
    const run = client.createOemUsers('demo-org', [{ email: 'x@example.com' }], options);
    await assert.rejects(run.next(), (error) => error.kind === 'config', inspect(options));
  }
  assert.throws(() => client.createOemUsers('demo-org', 42), TypeError);
  assert.equal((await mock.users()).length, 0);
});
