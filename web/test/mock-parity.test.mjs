// `applivery-oem/mock` and `npx applivery-oem mock` from the packed package against the Rust mock
// (the applivery-mock binary, a real HTTP server): one sequence of requests (creates,
// duplicates, invalid bodies, bad keys, organizations, refresh, list filters and pages, every
// fault kind, the test routes) gives the same statuses, headers and bodies (ids and secrets by
// shape), and the client reports the same error kind for each fault. Then the test controls.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';

import { importInstalled, installPackedPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';
import { runSequence } from './support/parity-sequence.mjs';

let rust;
let npmServer;
let installedDir;
let createMockFetch;
let AppliveryClient;

/** Starts `applivery-oem mock` (the installed package's bin) with `args`. */
export async function startNpmMock(dir, args) {
  const child = spawn(join(dir, 'node_modules', '.bin', 'applivery-oem'), ['mock', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const baseUrl = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`applivery-oem mock exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^applivery-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  return {
    baseUrl,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.kill();
      }),
  };
}

before(async () => {
  ({ dir: installedDir } = installPackedPackage());
  ({ AppliveryClient } = await importInstalled(installedDir));
  const consumer = join(installedDir, 'mock-consumer.mjs');
  writeFileSync(consumer, "export * from 'applivery-oem/mock';\n");
  ({ createMockFetch } = await import(pathToFileURL(consumer).href));
  rust = await startMock();
  npmServer = await startNpmMock(installedDir, ['--port', '0']);
});

after(async () => {
  await rust?.stop();
  await npmServer?.stop();
});

const overHttp = (baseUrl) => ({
  send: (path, init) => fetch(baseUrl + path, init),
  client: (options) => new AppliveryClient({ apiKey: 'mock-api-key', baseUrl, ...options }),
});

const inMemory = (mock) => ({
  send: (path, init) => mock.fetch(`https://mock.invalid${path}`, init),
  client: (options) =>
    new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: 'https://mock.invalid', fetch: mock.fetch, ...options }),
});

function assertSameSteps(actual, expected) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.deepEqual(actual[i], expected[i], `step ${expected[i][0]}`);
  }
}

test('createMockFetch answers the sequence as the Rust mock does, with the same client error kinds', async () => {
  const fromRust = await runSequence(...Object.values(overHttp(rust.baseUrl)));
  const fromWasm = await runSequence(...Object.values(inMemory(createMockFetch())));
  // The sequence saw what it is about (it cannot pass on two empty runs).
  const seen = Object.fromEntries(fromRust);
  assert.equal(seen.create.status, 200);
  assert.match(seen.create.body, /"oemSecret":"<secret>"/);
  assert.equal(seen['duplicate, other case'].status, 403);
  assert.deepEqual(seen['fault drop'], { rejected: 'TypeError' });
  assert.equal(seen['fault truncated-json'].bodyFailed, true);
  assert.deepEqual(seen['fault hang (aborted)'], { rejected: 'AbortError' });
  assert.match(seen['mock oem-secrets'].body, /"refreshCount":2/);
  assert.equal(seen['client kind: hang'], 'timeout');
  assert.equal(seen['client kind: drop'], 'network');
  assertSameSteps(fromWasm, fromRust);
});

test('npx applivery-oem mock answers the sequence as the Rust binary does', async () => {
  const fromRust = await runSequence(...Object.values(overHttp(rust.baseUrl)));
  const fromNode = await runSequence(...Object.values(overHttp(npmServer.baseUrl)));
  assertSameSteps(fromNode, fromRust);
});

test('npx applivery-oem mock: the binary flags, defaults, Host and Origin checks', async () => {
  const server = await startNpmMock(installedDir, [
    '--addr',
    '127.0.0.1:0',
    '--api-key',
    'k1',
    '--org',
    'org-one',
    '--org',
    'org-two',
    '--rate-limit',
    '1',
  ]);
  try {
    const create = (org, key = 'k1', headers = {}) =>
      fetch(`${server.baseUrl}/v1/organizations/${org}/oem/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        body: '{"email":"a@example.com"}',
      });
    assert.equal((await create('org-two')).status, 200);
    const limited = await create('org-one');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.match(server.stderr(), /accepted API keys: 1 \(not shown\)/);
    assert.doesNotMatch(server.stderr(), /k1/);
    const foreign = await fetch(`${server.baseUrl}/__mock/oem-secrets`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
  } finally {
    await server.stop();
  }
  const bin = join(installedDir, 'node_modules', '.bin', 'applivery-oem');
  const wrong = spawn(bin, ['mock', '--rate-limit', '0']);
  const code = await new Promise((resolve) => wrong.once('exit', resolve));
  assert.equal(code, 2);
  const version = spawnSync(bin, ['mock', '--version'], { encoding: 'utf8' });
  assert.match(version.stdout, /^applivery-oem mock \d+\.\d+\.\d+\n$/);
});

test('the test controls: users, requests, oemSecret, oemSecrets, faultForEmail, reset', async () => {
  const mock = createMockFetch({ organizations: ['acme'], apiKeys: ['k'], latencyMs: 5 });
  assert.equal(typeof mock, 'function');
  const client = new AppliveryClient({ apiKey: 'k', baseUrl: 'https://x.invalid', fetch: mock, maxRetries: 0 });
  const created = await client.createOemUser('acme', { email: 'Ada@Example.com', lastName: 'L' });
  assert.equal(mock.users()[0].id, created.id);
  assert.equal(mock.requests()[0].lastName, 'L');
  assert.equal(mock.oemSecret('ada@example.com'), created.oemSecret.expose());
  assert.equal(mock.oemSecret('ada@example.com', 'acme'), created.oemSecret.expose());
  assert.equal(mock.oemSecret('nobody@example.com'), undefined);
  await client.refreshOemUserSecret('acme', created.id);
  assert.equal(mock.oemSecrets()[0].refreshCount, 1);
  assert.notEqual(mock.oemSecret('ada@example.com'), created.oemSecret.expose());

  mock.faultForEmail('bob@example.com', ['status=503', 'status=503']);
  const failed = await client.createOemUser('acme', { email: 'bob@example.com' }).catch((e) => e);
  assert.equal(failed.kind, 'server_error');
  const retried = new AppliveryClient({ apiKey: 'k', baseUrl: 'https://x.invalid', fetch: mock.fetch, maxRetries: 1 });
  // The second queued 503 is consumed, then the retry after Retry-After: 1 creates the user.
  const bob = await retried.createOemUser('acme', { email: 'bob@example.com' });
  assert.equal(bob.user.email, 'bob@example.com');
  assert.throws(() => mock.faultForEmail('x@example.com', ['explode']), /explode/);
  assert.equal(mock.requestCount(), 5);
  mock.reset();
  assert.deepEqual(mock.users(), []);
  assert.equal(mock.requestCount(), 0);

  // A `Request` as msw hands one to its handlers (`({ request }) => mock.fetch(request)`).
  const viaRequest = await mock.fetch(
    new Request('https://api.applivery.io/v1/organizations/acme/oem/users', {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"email":"msw@example.com"}',
    }),
  );
  assert.equal(viaRequest.status, 200);
  assert.equal((await viaRequest.json()).data.collaborator.user.email, 'msw@example.com');

  const two = createMockFetch({ organizations: ['a1', 'a2'] });
  assert.throws(() => two.oemSecret('a@example.com'), /2 organizations/);
  assert.throws(() => createMockFetch({ apikeys: ['typo'] }), /unknown field `apikeys`/);
  assert.throws(() => createMockFetch({ rateLimit: 0 }), /rate limit/);
  // The keys are not kept on the mock.
  assert.doesNotMatch(JSON.stringify(Object.entries(mock)), /"k"/);
});
