// The admin page (web/admin/) in real Chromium against applivery-mock: create one user, see the
// duplicate error, then a 200-row CSV with two invalid rows created in bulk; the same file stopped
// midway (every row kept, in flight vs not sent, the download agreeing with the table and the
// mock); a 10,000-row file run and stopped; the Users tab listing, filtering, paging and refreshing
// a secret shown once; the tag fields offering the organization's groups. Screenshots of each step are saved under
// web/test-results/admin/ as test artifacts.
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
    // Row 7: a valid email a spreadsheet would run as a formula; row 8 a neutralized cell ('+...),
    // which the reader restores as the CLI's does.
    const email = i === 50 ? 'not-an-email' : i === 150 ? 'two@@example.com' : i === 7 ? '-2+3+cmd@example.com'
      : i === 8 ? "'+8@example.com" : `bulk.${i}@example.com`;
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
  // Formula-looking cells are neutralized in the download (one more leading '), as by the CLI.
  assert.match(csv.find((line) => line.startsWith('8,')), /^8,'-2\+3\+cmd@example\.com,created,/);
  assert.match(csv.find((line) => line.startsWith('9,')), /^9,'\+8@example\.com,created,/);
  assert.ok((await mock.users()).some((u) => u.user.email === '+8@example.com'), "the reader restored '+8@...");

  // Narrow screen: still readable, nothing overflows the viewport horizontally.
  await page.setViewportSize({ width: 375, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await page.screenshot({ path: join(shots, '06-narrow.png'), fullPage: false });

  assert.deepEqual(pageErrors, []);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'the API key is not stored unless asked');
});

test('admin page: stopping a 200-row bulk run midway keeps every row, marks what is known', async () => {
  await mock.reset();
  // Every request takes 100 ms, so the run (4 at a time) is still going when it is stopped.
  await mock.faults(Array.from({ length: 200 }, () => 'latency=100'));
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');
  await page.getByRole('tab', { name: 'Bulk import' }).click();
  await page.getByLabel('CSV file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(bulkCsv()) });
  await page.getByText('200 rows read from users.csv: 198 valid, 2 invalid.').waitFor();
  await page.getByRole('button', { name: 'Create users' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-count=created]').textContent) >= 40);
  await page.getByRole('button', { name: 'Stop' }).click();
  const status = page.locator('#bulk-status');
  await status.getByRole('heading', { name: /^Stopped/ }).waitFor();
  await page.locator('.table-wrap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, '07-bulk-stopped.png'), fullPage: false });

  const table = await page.locator('#bulk-results tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({ line: Number(row.cells[0].textContent), email: row.cells[1].textContent, outcome: row.cells[2].textContent })));
  assert.equal(table.length, 200, 'every row of the file stays in the table');
  assert.deepEqual(table.map((r) => r.line), Array.from({ length: 200 }, (_, i) => i + 2), 'in file order');
  const by = (outcome) => table.filter((r) => r.outcome === outcome);
  assert.deepEqual(by('invalid').map((r) => r.line), [51, 151]);
  assert.ok(table.every((r) => ['created', 'invalid', 'sent, outcome unknown', 'not sent'].includes(r.outcome)),
    `no other outcome: ${[...new Set(table.map((r) => r.outcome))]}`);
  assert.ok(by('sent, outcome unknown').length <= 4, 'at most the requests in flight are unknown');
  assert.ok(by('not sent').length > 100, 'stopped midway');
  const count = async (name) => Number(await page.locator(`[data-count=${name}]`).innerText());
  assert.equal(await count('created'), by('created').length);
  assert.equal(await count('unknown'), by('sent, outcome unknown').length);
  assert.equal(await count('not_sent'), by('not sent').length);
  assert.equal(await count('failed'), 0);
  assert.equal(await count('done'), by('created').length + 2);
  assert.match(await status.innerText(), new RegExp(`${by('not sent').length} rows not sent`));

  // The mock agrees: created rows exist, unsent rows do not, nothing else was created.
  const stored = new Set((await mock.users()).map((u) => u.user.email));
  for (const row of by('created')) assert.ok(stored.has(row.email), row.email);
  for (const row of by('not sent')) assert.ok(!stored.has(row.email), row.email);
  const maybe = new Set([...by('created'), ...by('sent, outcome unknown')].map((r) => r.email));
  for (const email of stored) assert.ok(maybe.has(email), email);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results (CSV)' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'line,email,outcome,details');
  assert.equal(csv.length, 201, 'every row in the download');
  const states = { created: 'created', invalid: 'invalid', 'sent, outcome unknown': 'unknown', 'not sent': 'not_sent' };
  // The download's cells are the table's, a formula-looking one with one more leading '.
  const neutralized = (cell) => (/^[=+\-@\t\r']/.test(cell) ? `'${cell}` : cell);
  csv.slice(1).forEach((line, i) => {
    const [number, email, outcome] = line.split(',');
    assert.deepEqual([Number(number), email, outcome], [table[i].line, neutralized(table[i].email), states[table[i].outcome]]);
  });
  assert.deepEqual(pageErrors, []);
});

test('admin page: a 10,000-row file is checked, run and stopped with the page responsive', async () => {
  await mock.reset();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');
  // The longest time the page's main thread was busy in one go, for the log (not a threshold).
  await page.evaluate(() => {
    window.longestTask = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longestTask = Math.max(window.longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.getByRole('tab', { name: 'Bulk import' }).click();
  const lines = ['email,firstName,lastName,tags'];
  for (let i = 1; i <= 10_000; i++) lines.push(`big.${i}@example.com,First${i},Last${i},big`);
  await page.getByLabel('CSV file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.getByText('10000 rows read from big.csv: 10000 valid, 0 invalid.').waitFor();
  await page.getByRole('button', { name: 'Create users' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-count=created]').textContent) >= 300);
  // The page still answers: Stop takes effect while rows keep finishing.
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#bulk-status').getByRole('heading', { name: /^Stopped/ }).waitFor();
  const count = async (name) => Number(await page.locator(`[data-count=${name}]`).innerText());
  const created = await count('created');
  assert.equal(await page.locator('#bulk-results tbody tr').count(), 10_000);
  assert.equal(created + (await count('unknown')) + (await count('not_sent')), 10_000);
  assert.equal((await mock.users()).length >= created, true);
  console.log(`# 10,000 rows: stopped after ${created} created; longest main-thread task ${Math.round(await page.evaluate(() => window.longestTask))} ms`);
  assert.deepEqual(pageErrors, []);
});

test('admin page: the Users tab lists, filters, pages and refreshes a secret shown once', async () => {
  await mock.reset();
  // 25 users made through the API: tags alternate so that a filter halves the list.
  for (let i = 1; i <= 25; i++) {
    const response = await fetch(`${mock.baseUrl}/v1/organizations/${ORGANIZATION}/oem/users`, {
      method: 'POST',
      headers: { authorization: 'Bearer mock-api-key', 'content-type': 'application/json' },
      body: JSON.stringify({ email: `team.${String(i).padStart(2, '0')}@example.com`, tags: [i % 2 ? 'odd' : 'even'] }),
    });
    assert.equal(response.status, 200);
  }
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');

  // Listing: 20 per page, then the last 5.
  await page.getByRole('tab', { name: 'Users' }).click();
  const rows = page.locator('#users-table tbody tr');
  await page.getByText('Page 1 of 2 · 25 collaborators').waitFor();
  assert.equal(await rows.count(), 20);
  assert.equal(await rows.first().locator('td').first().innerText(), 'team.01@example.com');
  await page.screenshot({ path: join(shots, '20-users-page-1.png'), fullPage: true });
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 2 · 25 collaborators').waitFor();
  assert.equal(await rows.count(), 5);
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);

  // Filters: a tag, then an email, then the newest first.
  await page.getByLabel('Tag', { exact: true }).fill('even');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('Page 1 of 1 · 12 collaborators').waitFor();
  await page.getByLabel('Tag', { exact: true }).fill('');
  await page.getByLabel('Address contains').fill('TEAM.07');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('Page 1 of 1 · 1 collaborator').waitFor();
  await page.getByLabel('Address contains').fill('');
  await page.getByLabel('Order').selectOption('user.email:asc');
  await page.getByLabel('Role').selectOption('owner');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('No collaborator matches.').waitFor();
  await page.getByLabel('Role').selectOption('');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('Page 1 of 2 · 25 collaborators').waitFor();
  await page.screenshot({ path: join(shots, '21-users-filtered.png'), fullPage: true });

  // Refresh a secret: confirm, see it once, copy it; closing forgets it.
  const before = (await mock.oemSecrets()).find((s) => s.email === 'team.03@example.com').oemSecret;
  await page.getByRole('button', { name: 'Refresh the OEM secret of team.03@example.com' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Give team.03@example.com a new OEM secret?').waitFor();
  await page.screenshot({ path: join(shots, '22-refresh-confirm.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Refresh secret' }).click();
  const shown = dialog.locator('#refresh-secret');
  await shown.waitFor({ state: 'visible' });
  const secret = await shown.innerText();
  const after = (await mock.oemSecrets()).find((s) => s.email === 'team.03@example.com').oemSecret;
  assert.equal(secret, after, 'the page shows the secret the mock now holds');
  assert.notEqual(after, before, 'the old secret is gone');
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.getByText('Copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await page.screenshot({ path: join(shots, '23-refresh-shown.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The dialog's `close` event, which forgets the secret, is dispatched as a task of its own.
  await page.waitForFunction(() => document.querySelector('#refresh-secret').textContent === '');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.body.innerText);
  assert.ok(!stored.includes(secret), 'the secret is kept nowhere on the page');
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("admin page: the tag fields offer the organization's groups (listCollaboratorGroups)", async () => {
  await mock.reset();
  for (const [email, tags] of [['g.1@example.com', ['beta', 'emea']], ['g.2@example.com', ['emea', 'pilot']]]) {
    const response = await fetch(`${mock.baseUrl}/v1/organizations/${ORGANIZATION}/oem/users`, {
      method: 'POST',
      headers: { authorization: 'Bearer mock-api-key', 'content-type': 'application/json' },
      body: JSON.stringify({ email, tags }),
    });
    assert.equal(response.status, 200);
  }
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${site.url}/admin/`);
  await page.waitForSelector('body[data-ready=true]');
  const suggestions = () =>
    page.evaluate(() => [...document.querySelectorAll('#group-suggestions option')].map((o) => o.value));

  // The create form's tags field: focusing it loads the groups, each once.
  const tags = page.locator('input[name="tags"]');
  assert.equal(await tags.getAttribute('list'), 'group-suggestions');
  await tags.focus();
  await page.waitForFunction(() => document.querySelectorAll('#group-suggestions option').length === 3);
  assert.deepEqual(await suggestions(), ['beta', 'emea', 'pilot']);
  await page.getByText('In use: beta, emea, pilot.').first().waitFor();
  await page.screenshot({ path: join(shots, '30-tag-suggestions.png'), fullPage: true });

  // A user created with a new tag: the next focus offers it too.
  await page.getByLabel('Email').fill('g.3@example.com');
  await tags.fill('launch');
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  await page.locator('#single-result').getByRole('heading', { name: 'OEM user created' }).waitFor();
  await page.getByRole('tab', { name: 'Users' }).click();
  const filter = page.getByLabel('Tag', { exact: true });
  assert.equal(await filter.getAttribute('list'), 'group-suggestions');
  await filter.focus();
  await page.waitForFunction(() => document.querySelectorAll('#group-suggestions option').length === 4);
  assert.deepEqual(await suggestions(), ['beta', 'emea', 'pilot', 'launch']);
  await filter.fill('pilot');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('Page 1 of 1 · 1 collaborator').waitFor();
  await page.screenshot({ path: join(shots, '31-filter-by-suggested-tag.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
  await page.close();
});
