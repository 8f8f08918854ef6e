// The admin page (web/admin/) in real Chromium against applivery-mock: create one user, see the
// duplicate error, then a 200-row CSV with two invalid rows created in bulk. Screenshots of each
// step are saved under web/test-results/admin/ as test artifacts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startMock } from './support/mock.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));
const shots = join(webDir, 'test-results', 'admin');
const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
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
      const body = readFileSync(join(webDir, path));
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'text/plain' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/** 200 data rows; lines 51 and 151 of the file (rows 50 and 150) have invalid emails. */
function bulkCsv() {
  const lines = ['Email,First Name,Last Name,Tags']; // the CLI's loose header rule, from the package
  for (let i = 1; i <= 200; i++) {
    const email = i === 50 ? 'not-an-email' : i === 150 ? 'two@@example.com' : `bulk.${i}@example.com`;
    lines.push(`${email},First${i},"Last, ${i}",bulk;batch-${i % 3}`);
  }
  return lines.join('\r\n') + '\r\n';
}

let mock;
let site;
let context;
let profile;

before(async () => {
  mkdirSync(shots, { recursive: true });
  mock = await startMock();
  site = await startSite(mock.baseUrl);
  profile = mkdtempSync(join(tmpdir(), 'applivery-admin-chromium-'));
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
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('admin page: create, duplicate, bulk import with progress and results', async () => {
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.getByLabel('Organization ID').inputValue(), ORGANIZATION);

  // Create one user.
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Tags').fill('admins, pilot');
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  const result = page.locator('#single-result');
  await result.getByRole('heading', { name: 'OEM user created' }).waitFor();
  const [created] = await mock.users();
  assert.equal(created.user.email, 'ada@example.com');
  assert.deepEqual(created.tags, ['admins', 'pilot']);
  assert.match(await result.innerText(), new RegExp(created.id));
  await page.screenshot({ path: join(shots, '01-created.png'), fullPage: true });

  // The same email again: the duplicate error with its meaning and what to do.
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  await result.getByRole('heading', { name: 'This email is already registered in the organization' }).waitFor();
  assert.match(await result.innerText(), /What to do:/);
  assert.match(await result.innerText(), /code 4009/);
  assert.equal((await mock.users()).length, 1);
  await page.screenshot({ path: join(shots, '02-duplicate.png'), fullPage: true });

  // Invalid input: field-level message, focus on the field, nothing sent.
  await page.getByLabel('Email').fill('no-at-sign');
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  await page.locator('#email-error').waitFor({ state: 'visible' });
  assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
  await page.screenshot({ path: join(shots, '03-invalid.png'), fullPage: true });

  // Bulk: keyboard to the tab, pick the file, see the check, create, watch progress and counts.
  await page.getByRole('tab', { name: 'Create one' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Bulk import' }).getAttribute('aria-selected'), 'true');
  await page.getByLabel('CSV file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(bulkCsv()) });
  await page.getByText('200 rows read from users.csv: 198 valid, 2 invalid.').waitFor();
  assert.match(await page.locator('#bulk-check').innerText(), /Line 51: email/);
  assert.match(await page.locator('#bulk-check').innerText(), /Line 151: email/);
  assert.equal((await mock.users()).length, 1, 'nothing is sent before the run starts');
  await page.screenshot({ path: join(shots, '04-bulk-checked.png'), fullPage: true });

  await page.getByRole('button', { name: 'Create users' }).click();
  await page.waitForFunction(() => document.querySelector('[data-count=done]').textContent === '200');
  const count = (name) => page.locator(`[data-count=${name}]`).innerText();
  assert.equal(await count('created'), '198');
  assert.equal(await count('invalid'), '2');
  assert.equal(await count('failed'), '0');
  assert.equal(await page.locator('#bulk-progress').evaluate((p) => p.value / p.max), 1);
  assert.equal(await page.locator('#bulk-results tbody tr').count(), 200);
  assert.equal((await mock.users()).length, 199);
  await page.screenshot({ path: join(shots, '05-bulk-done.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results (CSV)' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'line,email,outcome,details');
  assert.equal(csv.length, 201);
  assert.equal(csv.filter((line) => line.includes(',created,')).length, 198);
  assert.match(csv.find((line) => line.startsWith('51,')), /^51,not-an-email,invalid,/);

  // Narrow screen: still readable, nothing overflows the viewport horizontally.
  await page.setViewportSize({ width: 375, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await page.screenshot({ path: join(shots, '06-narrow.png'), fullPage: false });

  assert.deepEqual(pageErrors, []);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'the API key is not stored unless asked');
});
