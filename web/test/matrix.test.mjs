// The packed package in every runtime and bundler web developers use, each installed from the
// tarball into a fresh directory, each creating a user on applivery-mock with no configuration
// beyond what the package README says: Node ESM and CommonJS, Deno with only --allow-net, Bun,
// workerd (bundled by wrangler, run by miniflare), and Vite, webpack, esbuild and Rollup builds
// loaded in Chromium. Prints the gzip bytes each browser bundle ships. The server runtimes also
// meet a redirect, which each reports its own way: the package must make it a final error there.
//
// The tools are web/package.json's devDependencies (pinned in web/package-lock.json).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { installTarball, packPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));
const apps = join(webDir, 'test', 'matrix');
const bin = (name) => join(webDir, 'node_modules', '.bin', name);

let mock;
/** A front answering every request with a 307 to the mock: following it would create the user. */
let front;
let tarball;
let browser;
let profile;
const bundleSizes = [];

before(async () => {
  tarball = packPackage();
  mock = await startMock();
  front = createServer((request, response) => {
    response.writeHead(307, { location: `${mock.baseUrl}${request.url}` }).end();
  });
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  front?.closeAllConnections();
  await new Promise((resolve) => (front ? front.close(resolve) : resolve()));
  await mock?.stop();
  if (bundleSizes.length > 0) {
    const rows = bundleSizes.map(({ name, gzip, files }) => `| ${name} | ${gzip} | ${files} |`);
    console.log(['| bundle | gzip -9 bytes | files |', '| --- | ---: | --- |', ...rows].join('\n'));
  }
});

/** A fresh project with the tarball installed and the given app files copied in. */
function project(appFiles) {
  const dir = installTarball(tarball);
  for (const [from, to] of Object.entries(appFiles)) copyFileSync(join(apps, from), join(dir, to));
  return dir;
}

/** The README's instruction for this runtime, as written there: each test runs that command. */
function fromReadme(dir, command) {
  const readme = readFileSync(join(dir, 'node_modules', 'applivery-oem', 'README.md'), 'utf8');
  assert.ok(readme.includes(`\`${command}\``), `the README does not say \`${command}\``);
  return command.split(' ');
}

/**
 * Asserts the mock stored exactly one user with this email, with the id the app reported, and
 * that the app's bulk run (the package's bulk engine, loaded on first use) created its two.
 */
async function assertCreated(created, email) {
  assert.equal(created.user?.email, email, JSON.stringify(created));
  const users = await mock.users();
  const stored = users.filter((u) => u.user.email === email);
  assert.deepEqual(stored.map((u) => u.id), [created.id]);
  const bulkEmails = [`bulk-1-${email}`, `bulk-2-${email}`];
  assert.deepEqual(
    created.bulk,
    bulkEmails.map((bulkEmail) => ({ outcome: 'created', email: bulkEmail })),
  );
  for (const bulkEmail of bulkEmails) {
    assert.equal(users.filter((u) => u.user.email === bulkEmail).length, 1, bulkEmail);
  }
}

function run(command, args, cwd, env = {}) {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

// ---- runtimes ----------------------------------------------------------------------------------

/**
 * Runs a README command (the tool from web/node_modules) with the mock's URL, an email and the
 * redirecting front's URL: the user must be created, and the call through the front must fail
 * at once as a final `invalid_response` (not retried, not followed).
 */
async function runCreates(dir, command, email, env) {
  const [tool, ...args] = fromReadme(dir, command);
  const program = tool === 'node' ? process.execPath : bin(tool);
  const frontUrl = `http://127.0.0.1:${front.address().port}`;
  // Not execFileSync: the front answers from this process.
  const { stdout } = await promisify(execFile)(program, [...args, mock.baseUrl, email, frontUrl], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const { created, bulk, redirected } = JSON.parse(stdout);
  await assertCreated({ ...created, bulk }, email);
  assert.deepEqual(redirected, { kind: 'invalid_response', retryable: false, attempts: 1 });
  assert.deepEqual((await mock.users()).filter((u) => u.user.email.startsWith('moved-')), []);
}

test('Node ESM: import', async () => {
  const dir = project({ 'server-app.mjs': 'app.js' });
  await runCreates(dir, 'node app.js', 'node-esm@example.com');
});

test('Node CommonJS: require', async () => {
  const dir = project({ 'server-app.cjs': 'app.cjs' });
  await runCreates(dir, 'node app.cjs', 'node-cjs@example.com');
});

test('Deno with only --allow-net', async () => {
  const dir = project({ 'server-app.mjs': 'app.js' });
  await runCreates(dir, 'deno run --allow-net app.js', 'deno@example.com', {
    DENO_NO_UPDATE_CHECK: '1',
    DENO_DIR: join(dir, '.deno'),
  });
});

test('Bun', async () => {
  const dir = project({ 'server-app.mjs': 'app.js' });
  await runCreates(dir, 'bun app.js', 'bun@example.com');
});

test('workerd: bundled by wrangler, run by miniflare', async () => {
  const dir = project({ 'worker.js': 'worker.js' });
  writeFileSync(
    join(dir, 'wrangler.toml'),
    'name = "matrix"\nmain = "worker.js"\ncompatibility_date = "2026-04-26"\n',
  );
  // `wrangler deploy` bundles as the README says; --dry-run stops before the upload.
  const [tool, ...args] = fromReadme(dir, 'wrangler deploy');
  run(bin(tool), [...args, '--dry-run', '--outdir', 'dist'], dir, {
    WRANGLER_SEND_METRICS: 'false',
    CI: '1',
  });
  const { Miniflare } = await import('miniflare');
  const worker = new Miniflare({
    scriptPath: join(dir, 'dist', 'worker.js'),
    modules: true,
    modulesRoot: join(dir, 'dist'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-26',
  });
  try {
    const email = 'workerd@example.com';
    const query = new URLSearchParams({ mock: mock.baseUrl, email });
    const response = await worker.dispatchFetch(`http://worker.test/?${query}`);
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    await assertCreated(body, email);
  } finally {
    await worker.dispose();
  }
});

// ---- bundlers, in Chromium -----------------------------------------------------------------------

/** Serves `root` on a free loopback port; resolves to its origin. */
function serve(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname.replace(/\/$/, '/index.html');
    try {
      const body = readFileSync(join(root, path));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'text/plain' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

/** Every file a browser may download from a build's output, gzip -9, summed (HTML aside). */
function shippedGzipBytes(dist) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (extname(path) !== '.html') files.push(path);
    }
  };
  walk(dist);
  const gzip = files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  return { gzip, files: files.map((f) => f.slice(dist.length + 1)).join(', ') };
}

/** Loads dist/index.html in Chromium; asserts the page created the user. */
async function runInChromium(name, dist) {
  if (!browser) {
    profile = mkdtempSync(join(tmpdir(), 'applivery-matrix-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }
  bundleSizes.push({ name, ...shippedGzipBytes(dist) });
  const site = await serve(dist);
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`${error}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  try {
    const email = `${name.toLowerCase().split(' ')[0]}@example.com`;
    const query = new URLSearchParams({ mock: mock.baseUrl, email });
    await page.goto(`${site.origin}/?${query}`);
    await page
      .waitForFunction(() => window.result !== undefined, null, { timeout: 20_000 })
      .catch(() => assert.fail(`no result in the page: ${problems.join('; ')}`));
    const result = await page.evaluate(() => window.result);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(problems, []);
    await assertCreated(result.ok, email);
  } finally {
    await page.close();
    site.server.close();
  }
}

/** A bundler project: the tarball, the app, and an index.html loading `script` (if given). */
function bundlerProject(appName, script) {
  const dir = project({ 'browser-app.js': appName });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  if (script) {
    writeFileSync(join(dir, 'dist', 'index.html'), `<!doctype html><meta charset="utf-8">${script}\n`);
  }
  return dir;
}

test('Vite build, in Chromium', async () => {
  const dir = bundlerProject('app.js');
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="./app.js"></script>\n',
  );
  const [tool, ...args] = fromReadme(dir, 'vite build');
  run(bin(tool), [...args, '--logLevel', 'warn'], dir);
  await runInChromium('Vite 8', join(dir, 'dist'));
});

test('webpack build (zero config), in Chromium', async () => {
  const dir = bundlerProject('app.js', '<script src="main.js"></script>');
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(dir, 'app.js'), join(dir, 'src', 'index.js'));
  fromReadme(dir, 'webpack');
  const { default: webpack } = await import('webpack');
  // What `webpack` run in `dir` does: ./src/index.js -> dist/main.js (production mode).
  const config = { context: dir, mode: 'production', output: { path: join(dir, 'dist') } };
  const stats = await new Promise((resolve, reject) =>
    webpack(config, (error, stats) => (error ? reject(error) : resolve(stats))),
  );
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), stats.toString('errors-warnings'));
  await runInChromium('webpack 5', join(dir, 'dist'));
});

test('esbuild --bundle with no other flag, in Chromium', async () => {
  const dir = bundlerProject('app.js', '<script src="app.js"></script>');
  const [tool, ...args] = fromReadme(dir, 'esbuild app.js --bundle --outfile=dist/app.js');
  run(bin(tool), [...args, '--log-level=warning'], dir);
  await runInChromium('esbuild', join(dir, 'dist'));
});

test('Rollup with node-resolve, in Chromium', async () => {
  const dir = bundlerProject('app.js', '<script type="module" src="app.js"></script>');
  fromReadme(dir, '@rollup/plugin-node-resolve');
  fromReadme(dir, 'output.dir');
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const warnings = [];
  const bundle = await rollup({
    input: join(dir, 'app.js'),
    plugins: [nodeResolve()],
    onwarn: (warning) => warnings.push(`${warning}`),
  });
  // `dir`, as the README says: the bulk engine is a chunk of its own.
  await bundle.write({ dir: join(dir, 'dist'), format: 'es' });
  assert.deepEqual(warnings, []);
  await runInChromium('Rollup 4', join(dir, 'dist'));
});
