// The admin page's bulk work in real Chromium against applivery-mock (slowed down so a stop
// lands midway): "Create one" shows the new secret once; the Users tab refreshes the secrets
// of every user the filter shows, is stopped midway, accounts for every user, and offers the
// new secrets once as a CSV that matches the server. Screenshots go to a temporary directory.
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
const shots = mkdtempSync(join(tmpdir(), 'applivery-admin-bulk-shots-'));
const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const ORGANIZATION = 'demo-org';

/** Serves web/ (admin page and package) and a /demo-config.json pointing at the mock. */
function startSite(mockUrl) {
  const config = JSON.stringify({ baseUrl: mockUrl, organizationId: ORGANIZATION, apiKey: 'mock-api-key' });
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (path === '/demo-config.json') return response.writeHead(200, { 'content-type': 'application/json' }).end(config);
    if (path.endsWith('/')) path += 'index.html';
    if (!/^\/(admin|pkg)\//.test(path)) return response.writeHead(404).end();
    try {
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'text/plain' }).end(readFileSync(join(webDir, path)));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

let mock;
let site;
let context;
let profile;

before(async () => {
  mock = await startMock(['--latency-ms', '120']);
  site = await startSite(mock.baseUrl);
  profile = mkdtempSync(join(tmpdir(), 'applivery-admin-bulk-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  site?.server.close();
  await mock?.stop();
  console.log(`# screenshots in ${shots}`);
});

test('create one shows the secret once; the Users tab rotates every shown secret, stops midway, accounts for all', async () => {
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');

  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  await page.locator('#created-secret').waitFor();
  const [ada] = await mock.oemSecrets();
  assert.equal(await page.locator('#created-secret').innerText(), ada.oemSecret);
  await page.getByRole('button', { name: 'Copy secret' }).waitFor();
  await page.screenshot({ path: join(shots, '01-create-one-secret.png'), fullPage: true });

  // 29 more users, straight to the mock's API.
  for (let i = 0; i < 29; i++) {
    const response = await fetch(`${mock.baseUrl}/v1/organizations/${ORGANIZATION}/oem/users`, {
      method: 'POST',
      headers: { Authorization: 'Bearer mock-api-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `rotate.${i}@example.com` }),
    });
    assert.equal(response.status, 200);
  }
  const before = await mock.oemSecrets();
  assert.equal(before.length, 30);

  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Refresh secrets of the users shown' }).click();
  await page.locator('#rotate-dialog[open]').waitFor();
  assert.match(await page.locator('#rotate-question').innerText(), /the 30 users/);
  await page.screenshot({ path: join(shots, '02-rotate-confirm.png'), fullPage: true });
  await page.getByRole('button', { name: 'Refresh them' }).click();
  await page.waitForFunction(() => /refreshed [4-9]/.test(document.querySelector('#rotate-status').textContent));
  await page.locator('#rotate-stop').click();
  await page.waitForFunction(() => !document.querySelector('#rotate-start').disabled);
  const status = await page.locator('#rotate-status').innerText();
  await page.screenshot({ path: join(shots, '03-rotate-stopped.png'), fullPage: true });
  assert.match(status, /^30 of 30 done/);
  const refreshed = Number(/refreshed (\d+)/.exec(status)[1]);
  const notSent = Number(/not sent (\d+)/.exec(status)[1]);
  assert.equal(refreshed + notSent, 30, status);
  assert.ok(refreshed < 30, status);

  // The server changed exactly the secrets the page reports, and the CSV holds them.
  const now = await mock.oemSecrets();
  const changed = now.filter((s) => before.find((b) => b.collaboratorId === s.collaboratorId).oemSecret !== s.oemSecret);
  assert.equal(changed.length, refreshed);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#rotate-secrets').click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'email,collaboratorId,oemSecret');
  assert.deepEqual(
    csv.slice(1).sort(),
    changed.map((s) => `${s.email},${s.collaboratorId},${s.oemSecret}`).sort(),
  );
  // Offered once: after the download the page holds none.
  assert.equal(await page.locator('#rotate-secrets').isDisabled(), true);
  assert.deepEqual(pageErrors, []);
});
