// A web app's test suite written the way a user writes it: a Vite app (test/user-app/) with the
// package README's "Testing your app" examples as its Vitest, node:test and Playwright suites,
// in a directory outside the workspace, with the packed tarball installed, run with no Rust
// toolchain on the PATH: Vitest and node:test against `applivery-oem/mock`, Playwright against
// `npx applivery-oem mock` and the Vite dev server.
//
// Vite, Vitest and Playwright are the ones web/ installed (linked, not downloaded again): the
// registry is the only network here, and the run must stay short.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { packPackage } from './support/install.mjs';

const webDir = fileURLToPath(new URL('../', import.meta.url));
const fixture = join(webDir, 'test', 'user-app');
const linked = ['vite', 'vitest', '@playwright/test', 'playwright', 'playwright-core'];
const bins = { vite: 'vite/bin/vite.js', vitest: 'vitest/vitest.mjs', playwright: '@playwright/test/cli.js' };

/** The README's examples of one section, by the file each names on its first line. */
function readmeFiles() {
  const readme = readFileSync(join(webDir, 'applivery-oem', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Testing your app'), readme.indexOf('## Errors'));
  const files = {};
  for (const [, code] of section.matchAll(/```js\n([\s\S]*?)```/g)) {
    const name = /^\/\/ (\S+)\n/.exec(code)?.[1];
    assert.ok(name, `a README example without its file name:\n${code}`);
    files[name] = code;
  }
  return files;
}

/** PATH without any directory holding cargo or rustc: the app's tests must not need Rust. */
function pathWithoutRust() {
  return process.env.PATH.split(delimiter)
    .filter((dir) => !['cargo', 'rustc', 'rustup'].some((tool) => existsSync(join(dir, tool))))
    .join(delimiter);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let app;
let env;

before(async () => {
  app = mkdtempSync(join(tmpdir(), 'applivery-user-app-'));
  cpSync(fixture, app, { recursive: true });
  const files = readmeFiles();
  assert.deepEqual(Object.keys(files).sort(), [
    'e2e/create-user.spec.js',
    'node-test/create-user.test.mjs',
    'playwright.config.js',
    'test/create-user.test.js',
  ]);
  for (const [name, code] of Object.entries(files)) {
    mkdirSync(dirname(join(app, name)), { recursive: true });
    writeFileSync(join(app, name), code);
  }
  // Installs only the tarball (it has no dependencies, so offline), as `npm install` would.
  writeFileSync(join(app, 'package.json'), '{"name":"user-app","private":true,"type":"module"}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', packPackage().path], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const name of linked) {
    mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(join(webDir, 'node_modules', name), join(app, 'node_modules', name));
  }
  for (const [bin, target] of Object.entries(bins)) {
    symlinkSync(join(webDir, 'node_modules', target), join(app, 'node_modules', '.bin', bin));
  }
  // Debian's Chromium: Playwright's own download is not reachable here. The README's config as
  // written, only given the browser.
  writeFileSync(
    join(app, 'playwright.ci.config.js'),
    `import config from './playwright.config.js';
export default {
  ...config,
  reporter: 'line',
  use: { ...config.use, launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] } },
};
`,
  );
  env = {
    ...process.env,
    PATH: pathWithoutRust(),
    MOCK_PORT: String(await freePort()),
    APP_PORT: String(await freePort()),
    CI: '1',
    NO_COLOR: '1',
  };
  delete env.APPLIVERY_MOCK_BIN;
  // The app's own `node --test` is a run of its own, not a child of this one.
  delete env.NODE_TEST_CONTEXT;
  delete env.FORCE_COLOR;
});

after(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

function run(command, args) {
  const result = spawnSync(command, args, { cwd: app, env, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

test('no Rust toolchain is on the PATH of the app tests', () => {
  assert.notEqual(spawnSync('sh', ['-c', 'command -v cargo || command -v rustc'], { env }).status, 0);
});

test('Vitest: the README example against applivery-oem/mock', () => {
  const { status, output } = run('npx', ['vitest', 'run', '--dir', 'test']);
  assert.equal(status, 0, output);
  assert.match(output, /Tests\s+5 passed/, output);
});

test('node:test: the README example against applivery-oem/mock', () => {
  const { status, output } = run('node', ['--test', 'node-test/']);
  assert.equal(status, 0, output);
  assert.match(output, /# pass 1/, output);
});

test('Playwright: the README example against npx applivery-oem mock and the Vite dev server', () => {
  const { status, output } = run('npx', ['playwright', 'test', '-c', 'playwright.ci.config.js']);
  assert.equal(status, 0, output);
  assert.match(output, /1 passed/, output);
});
