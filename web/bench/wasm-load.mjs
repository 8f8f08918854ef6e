// How long a page takes until the package is ready, with the wasm embedded in index.js (base64,
// what the package ships to browsers and bundlers) versus a separate .wasm file compiled while it
// streams in (workerd.js's code, its `.wasm` import mapped by an import map to
// `WebAssembly.compileStreaming`, in a data: URL module). Both served gzip -9 from loopback, the browser cache off,
// in Chromium, interleaved; unthrottled and throttled (10 Mbit/s, 40 ms RTT). Prints the gzip
// bytes each variant downloads and the median and p90 time from navigation to a ready client.
//
// usage (after `cargo xtask wasm`): node web/bench/wasm-load.mjs [ROUNDS]   (`cargo xtask bench wasm-load`)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

const rounds = Number(process.argv[2] ?? 30);
const pkg = fileURLToPath(new URL('../pkg/', import.meta.url));
const ready = `
  const start = performance.now();
  const { AppliveryClient, init } = await import(ENTRY);
  await init();
  new AppliveryClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
  window.readyAt = performance.now();`;
// A data: URL, so that the separate file costs the two round trips it would in a real page
// (the JS, then the .wasm it asks for), not a third for this module.
const wasmModule = `data:text/javascript,${encodeURIComponent(
  "export default await WebAssembly.compileStreaming(fetch('/pkg/applivery_oem_bg.wasm?file'));",
)}`;
const files = {
  '/embedded.html': [
    'text/html',
    `<!doctype html><script type="module">${ready.replace('ENTRY', "'/pkg/index.js'")}</script>`,
  ],
  '/separate.html': [
    'text/html',
    `<!doctype html><script type="importmap">{"imports":{"/pkg/applivery_oem_bg.wasm":${JSON.stringify(wasmModule)}}}</script>` +
      `<script type="module">${ready.replace('ENTRY', "'/pkg/workerd.js'")}</script>`,
  ],
  '/pkg/index.js': ['text/javascript', readFileSync(join(pkg, 'index.js'))],
  '/pkg/workerd.js': ['text/javascript', readFileSync(join(pkg, 'workerd.js'))],
  '/pkg/applivery_oem_bg.wasm?file': ['application/wasm', readFileSync(join(pkg, 'applivery_oem_bg.wasm'))],
};
const gzipped = Object.fromEntries(
  Object.entries(files).map(([path, [type, body]]) => [path, [type, gzipSync(body, { level: 9 })]]),
);
const bytes = (...paths) => paths.reduce((sum, p) => sum + gzipped[p][1].length, 0);
const downloads = {
  embedded: bytes('/pkg/index.js'),
  separate: bytes('/pkg/workerd.js', '/pkg/applivery_oem_bg.wasm?file'),
};

const server = createServer((request, response) => {
  const file = gzipped[request.url];
  if (!file) return response.writeHead(404).end();
  response.writeHead(200, { 'content-type': file[0], 'content-encoding': 'gzip' });
  response.end(file[1]);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const profile = mkdtempSync(join(tmpdir(), 'applivery-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage();
const cdp = await browser.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

async function loadOnce(variant) {
  await page.goto(`${origin}/${variant}.html`);
  await page.waitForFunction(() => window.readyAt !== undefined);
  return page.evaluate(() => window.readyAt);
}

const networks = {
  loopback: { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
  '10 Mbit/s, 40 ms RTT': {
    offline: false,
    latency: 40,
    downloadThroughput: (10e6 / 8),
    uploadThroughput: (10e6 / 8),
  },
};
const stat = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms`;
};
console.log(`gzip bytes downloaded: embedded ${downloads.embedded}, separate ${downloads.separate}`);
for (const [name, conditions] of Object.entries(networks)) {
  await cdp.send('Network.emulateNetworkConditions', conditions);
  const times = { embedded: [], separate: [] };
  for (let i = 0; i < 2; i++) for (const v of Object.keys(times)) await loadOnce(v); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const variant of Object.keys(times)) times[variant].push(await loadOnce(variant));
  }
  for (const [variant, list] of Object.entries(times)) {
    console.log(`${name.padEnd(22)} ${variant.padEnd(9)} ready after ${stat(list)} (${rounds} loads)`);
  }
}
await browser.close();
server.close();
rmSync(profile, { recursive: true, force: true });
