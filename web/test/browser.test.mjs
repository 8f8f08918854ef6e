// The package in real Chromium (Debian's, driven by playwright-core): a page served from one
// localhost port imports web/pkg/index.js without a bundler and creates a user on
// applivery-mock, served from another port, through a CORS preflight.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startMock } from './support/mock.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));
const CONTENT_TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

/** Serves /pkg/* from web/pkg and /page.html; everything else is 404. */
function startStaticServer() {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url, 'http://x').pathname);
    const file =
      path === '/page.html'
        ? join(webDir, 'test', 'browser', 'page.html')
        : path.startsWith('/pkg/')
          ? join(webDir, path)
          : null;
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'text/plain' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port })),
  );
}

let mock;
let site;
let context;
let profile;

before(async () => {
  mock = await startMock();
  site = await startStaticServer();
  profile = mkdtempSync(join(tmpdir(), 'applivery-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  site?.server.close();
  await mock?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('a page on another port creates a user on the mock (CORS preflight), times out, aborts', async () => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = [];
  cdp.on('Network.requestWillBeSent', ({ request }) => requests.push(request));
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));

  const pageUrl = `http://127.0.0.1:${site.port}/page.html?mock=${encodeURIComponent(mock.baseUrl)}`;
  assert.notEqual(new URL(pageUrl).origin, new URL(mock.baseUrl).origin);
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.results !== undefined);
  const results = await page.evaluate(() => window.results);
  assert.deepEqual(pageErrors, []);

  assert.ok(results.created.ok, JSON.stringify(results.created));
  assert.equal(results.created.ok.user.email, 'browser@example.com');
  const stored = await mock.users();
  assert.deepEqual(
    stored.map((u) => u.id),
    [results.created.ok.id],
  );

  assert.deepEqual(results.duplicate.error, {
    isAppliveryError: true,
    isError: true,
    name: 'AppliveryError',
    kind: 'already_registered',
    status: 403,
    code: 4009,
  });
  assert.equal(results.invalid.error.kind, 'invalid_input');
  assert.equal(results.aborted.error.name, 'AbortError');

  // Two POSTs reached the mock (created, duplicate), after a preflight (the browser caches it)
  // that asked for no header beyond Authorization and Content-Type.
  const apiUrl = `${mock.baseUrl}/v1/organizations/demo-org/oem/users`;
  const posts = requests.filter((r) => r.url === apiUrl && r.method === 'POST');
  assert.equal(posts.length, 2);
  const preflights = requests.filter((r) => r.url === apiUrl && r.method === 'OPTIONS');
  assert.ok(preflights.length >= 1, 'no CORS preflight was seen');
  const asked = preflights[0].headers['Access-Control-Request-Headers'] ?? '';
  assert.deepEqual(asked.split(',').map((h) => h.trim().toLowerCase()).sort(), [
    'authorization',
    'content-type',
  ]);
  // timeoutMs and an abort in flight, in the browser (the mock never answers these).
  await mock.faults(['hang']);
  const timedOut = await page.evaluate(() => window.timeoutCall());
  assert.equal(timedOut.error?.kind, 'timeout', JSON.stringify(timedOut));
  assert.equal(timedOut.error.isAppliveryError, true);
  await mock.faults(['hang']);
  const abortedInFlight = await page.evaluate(() => window.abortInFlight());
  assert.equal(abortedInFlight.error?.name, 'AbortError', JSON.stringify(abortedInFlight));

  const sent = Object.keys(posts[0].headers).map((h) => h.toLowerCase());
  assert.ok(sent.includes('authorization') && sent.includes('content-type'), sent.join());
  for (const header of sent) {
    assert.ok(
      ['authorization', 'content-type', 'accept', 'referer', 'user-agent', 'origin'].includes(
        header,
      ) || header.startsWith('sec-'),
      `unexpected request header ${header}`,
    );
  }
});
