// The parity sequence (support/parity-sequence.mjs) in real Chromium: a page on one localhost
// port runs it against the Rust mock on another port (CORS) and against `applivery-oem/mock`
// (web/pkg/mock.js, no bundler) in the page, and both must see the same.
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
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript' };

/** /page.html, /pkg/* (web/pkg) and /support/* (web/test/support); everything else is 404. */
function startStaticServer() {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url, 'http://x').pathname);
    const file =
      path === '/page.html'
        ? join(webDir, 'test', 'browser', 'mock-parity.html')
        : path.startsWith('/pkg/')
          ? join(webDir, path)
          : path.startsWith('/support/')
            ? join(webDir, 'test', path)
            : null;
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/plain' });
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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await context?.close();
  site?.server.close();
  await mock?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('in Chromium, createMockFetch answers the sequence as the Rust mock does', async () => {
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`http://127.0.0.1:${site.port}/page.html?mock=${encodeURIComponent(mock.baseUrl)}`);
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 60_000 });
  const results = await page.evaluate(() => window.results);
  assert.deepEqual(pageErrors, []);
  assert.equal(results.error, undefined, results.error);
  const seen = Object.fromEntries(results.rust);
  assert.equal(seen.create.status, 200);
  assert.deepEqual(seen['fault drop'], { rejected: 'TypeError' });
  assert.equal(seen['fault truncated-json'].bodyFailed, true);
  assert.deepEqual(seen['fault hang (aborted)'], { rejected: 'AbortError' });
  assert.equal(seen['client kind: hang'], 'timeout');
  assert.equal(results.wasm.length, results.rust.length);
  for (let i = 0; i < results.rust.length; i++) {
    // Over a real socket Chromium may resend a request whose reused connection was dropped,
    // so the Rust mock's `drop` can end 'ok' after the client's retry; in memory it cannot.
    if (results.rust[i][0] === 'client kind: drop') {
      assert.ok(['network', 'ok'].includes(results.rust[i][1]), `step ${results.rust[i][0]}`);
      assert.equal(results.wasm[i][1], 'network');
      continue;
    }
    assert.deepEqual(results.wasm[i], results.rust[i], `step ${results.rust[i][0]}`);
  }
});
