// The packed applivery-oem package, installed into a temporary project, against the real
// applivery-mock over HTTP: success, every documented error kind, invalid input (nothing sent),
// timeout, abort, and the API key never showing.
//
// Run by `cargo xtask test` (after `cargo xtask wasm`); by hand: `node --test web/test/`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { createServer } from 'node:http';
import { inspect } from 'node:util';

import { importInstalled, installPackedPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';
import { HOSTILE_SECRET, startHostileServer } from './support/hostile-server.mjs';

const API_KEY = 'mock-api-key';
const ORG = 'demo-org';

let mock;
let AppliveryClient;
let AppliveryError;
let validateOemUser;
let init;
let neutralizeCsvCell;
let restoreCsvCell;
let packedFiles;
let installedDir;

before(async () => {
  const installed = installPackedPackage();
  packedFiles = installed.files;
  installedDir = installed.dir;
  ({ AppliveryClient, AppliveryError, validateOemUser, init, neutralizeCsvCell, restoreCsvCell } =
    await importInstalled(installed.dir));
  await init();
  mock = await startMock();
});

after(async () => {
  await mock?.stop();
});

beforeEach(async () => {
  await mock.reset();
});

/** A client on the mock; `maxRetries: 0` unless a test is about retries. */
function client(options = {}) {
  return new AppliveryClient({ apiKey: API_KEY, baseUrl: mock.baseUrl, maxRetries: 0, ...options });
}

/** Awaits a rejection and returns the AppliveryError it carries. */
async function failure(promise) {
  const error = await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error) => error,
  );
  assert.ok(error instanceof AppliveryError, `not an AppliveryError: ${inspect(error)}`);
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'AppliveryError');
  return error;
}

test('the tarball holds every entry, its types and the README', () => {
  for (const file of ['package.json', 'index.js', 'index.cjs', 'workerd.js', 'bulk-engine.js', 'index.d.ts', 'index.d.cts', 'mock.js', 'mock.cjs', 'mock.d.ts', 'mock.d.cts', 'README.md']) {
    assert.ok(packedFiles.includes(file), `${file} missing from ${packedFiles}`);
  }
  for (const wasm of ['applivery_oem_bg.wasm', 'applivery_bulk_bg.wasm']) {
    assert.ok(packedFiles.includes(wasm), `workerd.js imports ${wasm}`);
  }
  const installed = join(installedDir, 'node_modules', 'applivery-oem');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'applivery-oem');
  assert.equal(manifest.type, 'module');
  const conditions = manifest.exports['.'];
  assert.deepEqual(Object.keys(conditions), ['workerd', 'require', 'default']);
  // TypeScript takes the first matching condition: "types" must come before "default".
  for (const [condition, target] of Object.entries(conditions)) {
    assert.deepEqual(Object.keys(target), ['types', 'default'], condition);
  }
  // No entry reaches for Node built-ins, a file or a URL: bundlers for browsers need no flag.
  // The only module loaded later is the package's own bulk engine, and only the default entries
  // leave it out (workerd.js holds it).
  for (const entry of ['index.js', 'index.cjs', 'workerd.js', 'bulk-engine.js']) {
    const code = readFileSync(join(installed, entry), 'utf8');
    assert.doesNotMatch(code, /\bnode:|require\("(fs|path|url)"\)|import\.meta/, entry);
    const imported = [...code.matchAll(/\bimport\(([^)]*)\)/g)].map((match) => match[1]);
    const bulkInside = code.includes('bulkrun_new');
    assert.deepEqual(imported, entry.startsWith('index.') ? ['"./bulk-engine.js"'] : [], entry);
    assert.equal(bulkInside, !entry.startsWith('index.'), `${entry}: the bulk engine inside`);
  }
});

test('applivery-oem/mock by require (Jest, Mocha): the same mock, answering the CommonJS client', () => {
  // `node -e` runs CommonJS: both entries are `require`d.
  const script = `
    const { createMockFetch } = require('applivery-oem/mock');
    const { AppliveryClient } = require('applivery-oem');
    const mock = createMockFetch();
    const client = new AppliveryClient({ apiKey: 'mock-api-key', fetch: mock.fetch });
    client.createOemUser('demo-org', { email: 'cjs@example.com' }).then(async (created) => {
      const again = await client.createOemUser('demo-org', { email: 'cjs@example.com' }).catch((e) => e.kind);
      console.log(JSON.stringify({
        ids: mock.users().map((u) => u.id).concat(created.id),
        sameSecret: created.oemSecret.expose() === mock.oemSecret('cjs@example.com'),
        again,
      }));
    });
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: installedDir, encoding: 'utf8' }));
  assert.equal(out.ids.length, 2);
  assert.equal(out.ids[0], out.ids[1]);
  assert.equal(out.sameSecret, true);
  assert.equal(out.again, 'already_registered');
});

test('before init(): no wasm; the first createOemUser instantiates it; config errors then', async () => {
  // A fresh process: this file's own import of the package is initialised in before().
  const script = `
    import { AppliveryClient, AppliveryError, init, validateOemUser } from 'applivery-oem';
    const out = {};
    try { validateOemUser({ email: 'a@example.com' }); } catch (e) { out.validateBefore = e.message; }
    const bad = new AppliveryClient({ apiKey: '', baseUrl: process.argv[1] });
    const good = new AppliveryClient({ apiKey: '${API_KEY}', baseUrl: process.argv[1], maxRetries: 0 });
    out.created = (await good.createOemUser('${ORG}', { email: 'lazy@example.com' })).user.email;
    out.badKind = await bad.createOemUser('${ORG}', { email: 'x@example.com' }).then(
      () => 'resolved', (e) => e instanceof AppliveryError && e.kind);
    out.validateAfter = validateOemUser({ email: 'a@example.com' });
    out.initAgain = await init();
    try { new AppliveryClient({ apiKey: '' }); } catch (e) { out.ctorAfter = e.kind; }
    console.log(JSON.stringify(out));
  `;
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '--eval', script, mock.baseUrl],
    { cwd: installedDir, encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(output), {
    validateBefore: 'applivery-oem: `await init()` before calling validateOemUser',
    created: 'lazy@example.com',
    badKind: 'config',
    validateAfter: [],
    ctorAfter: 'config',
  });
  assert.deepEqual((await mock.users()).map((u) => u.user.email), ['lazy@example.com']);
});

test('creates a user and resolves to the collaborator', async () => {
  const created = await client().createOemUser(ORG, {
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    tags: ['engineering', 'beta'],
  });
  assert.match(created.id, /^[0-9a-f]{24}$/);
  assert.match(created.organization, /^[0-9a-f]{24}$/);
  assert.deepEqual(created.tags, ['engineering', 'beta']);
  assert.equal(created.user.email, 'ada@example.com');
  assert.equal(created.user.firstName, 'Ada');
  const stored = await mock.users();
  assert.deepEqual(
    stored.map((u) => u.id),
    [created.id],
  );
});

test('the OEM secret reaches the caller and shows nowhere', async () => {
  const created = await client().createOemUser(ORG, { email: 'secret@example.com' });
  const [stored] = await mock.oemSecrets();
  assert.ok(stored.oemSecret.length >= 32);
  // What the mock stored, handed over as an OemSecret.
  assert.equal(created.oemSecret.expose(), stored.oemSecret);
  for (const shown of [
    inspect(created, { depth: 10 }),
    inspect(created, { depth: 10, showHidden: true }),
    JSON.stringify(created),
    String(created.oemSecret),
    `${created.oemSecret}`,
  ]) {
    assert.ok(!shown.includes(stored.oemSecret), shown);
  }
  assert.equal(JSON.parse(JSON.stringify(created)).oemSecret, '[redacted]');
  assert.deepEqual(await mock.users().then((users) => users.map((u) => u.oemSecret)), [undefined]);
});

test('organization ids: exactly the documented pattern, and none that fails it is sent', async () => {
  // The documented pattern, run by the host's RegExp, is the verdict.
  const documented = /^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$/;
  const ids = [
    '5f3a9c0e1b2c3d4e5f6a7b8c', '5F3A9C0E1B2C3D4E5F6A7B8C', 'demo-org', 'abc', '---', 'a'.repeat(1000),
    '', 'a', 'ab', 'a_b', 'demo_org', 'a/b', '../x', '..', '%2e%2e', '%2E', 'a b', ' abc',
    'abc\n', 'é12', 'a.b', 'a?b', 'a#b',
  ];
  await mock.faults(['status=500']);
  for (const id of ids) {
    if (documented.test(id)) continue;
    const error = await failure(client().createOemUser(id, { email: 'a@example.com' }));
    assert.equal(error.kind, 'invalid_input', id);
    assert.deepEqual(error.fieldErrors.map((e) => e.field), ['organizationId'], id);
  }
  // The queued fault is still there: nothing was sent.
  const next = await failure(client().createOemUser(ORG, { email: 'ok@example.com' }));
  assert.equal(next.kind, 'server_error');
});

test('invalid input is refused with every problem, and nothing is sent', async () => {
  // A queued fault is consumed by the next request that reaches the mock: if the invalid call
  // sent anything, the valid call below would not meet the fault.
  await mock.faults(['status=500']);
  const error = await failure(
    client().createOemUser('bad/org', {
      email: 'not-an-email',
      firstName: 'x'.repeat(129),
      tags: [1],
    }),
  );
  assert.equal(error.kind, 'invalid_input');
  assert.equal(error.retryable, false);
  assert.equal(error.attempts, 0);
  assert.equal(error.status, null);
  assert.deepEqual(
    error.fieldErrors.map((e) => e.field),
    ['organizationId', 'email', 'firstName', 'tags'],
  );
  const missing = await failure(client().createOemUser(ORG, {}));
  assert.deepEqual(missing.fieldErrors.map((e) => e.field), ['email']);
  const next = await failure(client().createOemUser(ORG, { email: 'ok@example.com' }));
  assert.equal(next.kind, 'server_error');
  assert.deepEqual(await mock.users(), []);
});

test('validateOemUser reports what createOemUser would refuse, sending nothing', async () => {
  await mock.faults(['status=500']);
  assert.deepEqual(validateOemUser({ email: 'ada@example.com', tags: ['a', 'b'] }), []);
  // Duplicate, blank and many tags and blank names: Applivery documents no rule against them.
  assert.deepEqual(
    validateOemUser({ email: 'o-@x-.io', firstName: ' ', tags: [...Array(60).fill('a'), ''] }),
    [],
  );
  const problems = validateOemUser({ email: 'nope', lastName: 7, tags: ['a', 'a'] });
  assert.deepEqual(
    problems.map((e) => e.field),
    ['email', 'lastName'],
  );
  assert.ok(problems.every((e) => typeof e.message === 'string' && e.message.length > 0));
  assert.deepEqual(validateOemUser(undefined).map((e) => e.field), ['email']);
  // The queued fault is still there: validation sent nothing.
  const next = await failure(client().createOemUser(ORG, { email: 'ok@example.com' }));
  assert.equal(next.kind, 'server_error');
});

test('a second registration is already_registered (403, 4009)', async () => {
  await client().createOemUser(ORG, { email: 'dup@example.com' });
  const error = await failure(client().createOemUser(ORG, { email: 'DUP@example.com' }));
  assert.equal(error.kind, 'already_registered');
  assert.equal(error.status, 403);
  assert.equal(error.code, 4009);
  assert.equal(error.retryable, false);
  assert.equal(error.attempts, 1);
});

test('a wrong key is unauthorized (401, 4004)', async () => {
  const error = await failure(
    client({ apiKey: 'not-the-key' }).createOemUser(ORG, { email: 'a@example.com' }),
  );
  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.status, 401);
  assert.equal(error.code, 4004);
});

test('an unknown organization is not_found (404, 3001)', async () => {
  const error = await failure(client().createOemUser('no-such-org', { email: 'a@example.com' }));
  assert.deepEqual([error.kind, error.status, error.code], ['not_found', 404, 3001]);
});

test('a blocked organization is feature_blocked (400, 5187)', async () => {
  const error = await failure(client().createOemUser('blocked-org', { email: 'a@example.com' }));
  assert.deepEqual([error.kind, error.status, error.code], ['feature_blocked', 400, 5187]);
});

test('429 is rate_limited, retryable, with Retry-After', async () => {
  await mock.faults(['status=429,retry-after=7']);
  const error = await failure(client().createOemUser(ORG, { email: 'a@example.com' }));
  assert.equal(error.kind, 'rate_limited');
  assert.equal(error.status, 429);
  assert.equal(error.retryable, true);
  assert.equal(error.retryAfterSeconds, 7);
});

test('5xx is server_error', async () => {
  await mock.faults(['status=503']);
  const error = await failure(client().createOemUser(ORG, { email: 'a@example.com' }));
  assert.deepEqual([error.kind, error.status, error.retryable], ['server_error', 503, true]);
});

test('an undocumented status and code is api_error, kept whole', async () => {
  await mock.faults(['status=418']);
  const error = await failure(client().createOemUser(ORG, { email: 'a@example.com' }));
  assert.equal(error.kind, 'api_error');
  assert.equal(error.status, 418);
  assert.equal(error.retryable, false);
});

test('an HTML error page is server_error with a snippet of the page', async () => {
  await mock.faults(['html']);
  const error = await failure(client().createOemUser(ORG, { email: 'a@example.com' }));
  assert.deepEqual([error.kind, error.status], ['server_error', 502]);
  assert.match(error.message, /Bad Gateway/);
});

test('undecodable answers are invalid_response', async () => {
  for (const fault of ['malformed-json', 'oversized', 'oversized-chunked']) {
    await mock.faults([fault]);
    const error = await failure(client().createOemUser(ORG, { email: `${fault}@example.com` }));
    assert.equal(error.kind, 'invalid_response', `${fault}: ${error.message}`);
  }
});

test('a dropped connection, before or in the middle of the body, is network', async () => {
  for (const fault of ['drop', 'truncated-json']) {
    await mock.faults([fault]);
    const error = await failure(client().createOemUser(ORG, { email: `${fault}@example.com` }));
    assert.equal(error.kind, 'network', `${fault}: ${error.message}`);
    assert.equal(error.retryable, true);
  }
});

test('no answer within timeoutMs is timeout', async () => {
  await mock.faults(['hang']);
  const error = await failure(
    client({ timeoutMs: 200 }).createOemUser(ORG, { email: 'a@example.com' }),
  );
  assert.equal(error.kind, 'timeout');
  assert.equal(error.retryable, true);
});

test('retryable failures are retried, and the retry succeeds', async () => {
  await mock.faults(['status=503,retry-after=0', 'drop']);
  const created = await client({ maxRetries: 2 }).createOemUser(ORG, { email: 'r@example.com' });
  assert.equal(created.user.email, 'r@example.com');
  assert.equal((await mock.users()).length, 1);
});

test('4009 after an ambiguous failure is already_registered_after_retry', async () => {
  await mock.faults(['status=500,after-create']);
  const error = await failure(
    client({ maxRetries: 2 }).createOemUser(ORG, { email: 'amb@example.com' }),
  );
  assert.equal(error.kind, 'already_registered_after_retry');
  assert.equal(error.code, 4009);
  assert.equal(error.attempts, 2);
  assert.equal((await mock.users()).length, 1);
});

test('an abort rejects with the signal reason, also before the call and while waiting', async () => {
  await mock.faults(['hang']);
  const controller = new AbortController();
  const pending = client({ timeoutMs: 0 }).createOemUser(
    ORG,
    { email: 'abort@example.com' },
    { signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, (error) => error.name === 'AbortError');

  const reason = new Error('user left the page');
  const aborted = AbortSignal.abort(reason);
  await assert.rejects(
    client().createOemUser(ORG, { email: 'a@example.com' }, { signal: aborted }),
    (error) => error === reason,
  );

  // During the wait before a retry (Retry-After: 10 s).
  await mock.faults(['status=429,retry-after=10']);
  const waiting = new AbortController();
  const retrying = client({ maxRetries: 1 }).createOemUser(
    ORG,
    { email: 'w@example.com' },
    { signal: waiting.signal },
  );
  setTimeout(() => waiting.abort(), 200);
  await assert.rejects(retrying, (error) => error.name === 'AbortError');
});

test('a timeout aborts its own attempt only, with timeout controllers lent again', async () => {
  // A few calls first, so that the attempts below may be lent controllers used before.
  for (let i = 0; i < 3; i++) await client().createOemUser(ORG, { email: `warm${i}@example.com` });
  let abortedSignal;
  let aborted;
  const abortSeen = new Promise((resolve) => (aborted = resolve));
  // Never answers: only its timeout ends it.
  const hanging = (url, init) =>
    new Promise((_, reject) => {
      abortedSignal = init.signal;
      init.signal.addEventListener('abort', () => {
        reject(init.signal.reason);
        aborted();
      });
    });
  // Sends only once the other attempt's timeout has fired: its own signal must be untouched.
  const signals = [];
  const afterTheAbort = async (url, init) => {
    signals.push(init.signal);
    await abortSeen;
    return fetch(url, init);
  };
  const late = client({ fetch: hanging, timeoutMs: 50 });
  const onTime = client({ fetch: afterTheAbort });
  const [error, created] = await Promise.all([
    failure(late.createOemUser(ORG, { email: 'late@example.com' })),
    onTime.createOemUser(ORG, { email: 'on-time@example.com' }),
  ]);
  assert.equal(error.kind, 'timeout');
  assert.equal(created.user.email, 'on-time@example.com');
  assert.notEqual(signals[0], abortedSignal);
  assert.equal(signals[0].aborted, false);
  // The aborted controller is never lent again.
  const later = await client({
    fetch: (url, init) => {
      signals.push(init.signal);
      return fetch(url, init);
    },
  }).createOemUser(ORG, { email: 'later@example.com' });
  assert.equal(later.user.email, 'later@example.com');
  assert.notEqual(signals[1], abortedSignal);
  assert.equal(signals[1].aborted, false);
});

test('a redirect is not followed (a redirected POST may be replayed) nor retried, as the facade', async () => {
  // A front answering 307 to the mock: following it would create the user there.
  const requests = [];
  const front = createServer((request, response) => {
    requests.push(request.url);
    response.writeHead(307, { location: `${mock.baseUrl}${request.url}` }).end();
  });
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    const redirected = new AppliveryClient({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${front.address().port}`,
    });
    const error = await failure(redirected.createOemUser(ORG, { email: 'moved@example.com' }));
    // The server answered: a retry would be answered the same (the default allows two).
    assert.equal(error.kind, 'invalid_response');
    assert.equal(error.retryable, false);
    assert.match(error.message, /redirect/);
    assert.equal(requests.length, 1);
    assert.deepEqual(await mock.users(), []);
  } finally {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
  }
});

test('hundreds of calls in a row stay correct (allocator reuse)', async () => {
  const many = client();
  for (let i = 0; i < 300; i++) {
    const created = await many.createOemUser(ORG, { email: `bulk${i}@example.com`, tags: [`t${i}`] });
    assert.deepEqual(created.tags, [`t${i}`]);
    const error = await failure(many.createOemUser(ORG, { email: `bad${i}` }));
    assert.equal(error.kind, 'invalid_input');
  }
  assert.equal((await mock.users()).length, 300);
});

test('a custom fetch sends every attempt, with only the two headers', async () => {
  const seen = [];
  const recording = (url, init) => {
    seen.push({ url, method: init.method, headers: Object.keys(init.headers), signal: init.signal });
    return fetch(url, init);
  };
  await mock.faults(['status=503,retry-after=0']);
  const created = await client({ fetch: recording, maxRetries: 1 }).createOemUser(ORG, {
    email: 'custom-fetch@example.com',
  });
  assert.equal(created.user.email, 'custom-fetch@example.com');
  assert.equal(seen.length, 2, 'the retry goes through it too');
  for (const call of seen) {
    assert.equal(call.url, `${mock.baseUrl}/v1/organizations/${ORG}/oem/users`);
    assert.equal(call.method, 'POST');
    assert.deepEqual(call.headers.sort(), ['Authorization', 'Content-Type']);
    assert.ok(call.signal instanceof AbortSignal);
  }
});

test('bad options are config errors', () => {
  for (const options of [
    {},
    { apiKey: '' },
    { apiKey: 'k', baseUrl: 'http://example.com' },
    { apiKey: 'k', baseUrl: 'not a url' },
    { apiKey: 'k', baseUrl: 'https://user:pw@example.com' },
    { apiKey: 'k', timeoutMs: -1 },
    { apiKey: 'k', maxRetries: 1.5 },
    { apiKey: 'k', fetch: 'not a function' },
  ]) {
    assert.throws(
      () => new AppliveryClient(options),
      (error) => error instanceof AppliveryError && error.kind === 'config',
      JSON.stringify(options),
    );
  }
});

test('the API key never shows on the client, on errors or in console output', async () => {
  const apiKey = 'sk-very-secret-key-123';
  const secretClient = new AppliveryClient({ apiKey, baseUrl: mock.baseUrl, maxRetries: 0 });
  const error = await failure(secretClient.createOemUser(ORG, { email: 'a@example.com' }));
  assert.equal(error.kind, 'unauthorized');
  const shown = [
    JSON.stringify(secretClient),
    inspect(secretClient, { showHidden: true, depth: 5 }),
    String(secretClient),
    JSON.stringify(error),
    inspect(error, { showHidden: true, depth: 5 }),
    String(error),
    error.stack,
    Object.keys(secretClient).join(),
  ].join('\n');
  assert.ok(!shown.includes(apiKey), shown);
  assert.match(inspect(secretClient), /^AppliveryClient /);
});

test('an undecodable success body holding an OEM secret is described, never quoted', async () => {
  for (const answer of ['undecodable_secret', 'undecodable_secret_string', 'not_json_secret']) {
    const server = await startHostileServer(answer);
    try {
      const client = new AppliveryClient({ apiKey: API_KEY, baseUrl: server.baseUrl });
      const error = await failure(client.createOemUser(ORG, { email: 'ada@example.com' }));
      assert.equal(error.kind, 'invalid_response');
      const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error)} ${String(error)}`;
      assert.ok(!shown.includes(HOSTILE_SECRET), `${answer}: ${shown}`);
      assert.ok(!shown.includes('SECRET-'), `${answer}: ${shown}`);
    } finally {
      await server.stop();
    }
  }
});

test("the CSV formula-injection rule is the CLI's", () => {
  const table = [
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['-2+3+cmd@example.com', "'-2+3+cmd@example.com"],
    ["'t Hart", "''t Hart"],
    ["''x", "'''x"],
    ['plain', 'plain'],
    ['', ''],
  ];
  for (const [cell, written] of table) {
    assert.equal(neutralizeCsvCell(cell), written);
    assert.equal(restoreCsvCell(neutralizeCsvCell(cell)), cell);
  }
});
