#!/usr/bin/env node
// `npx applivery-oem mock`: the mock of `applivery-oem/mock` as a local HTTP server in Node, for
// Playwright or Cypress runs of a web app. The flags, defaults and `/__mock/*` routes are the Rust
// `applivery-mock` binary's; `--port N` is short for `--addr 127.0.0.1:N`. Every request goes
// through the same code as the Rust server's connections (Host and Origin checks, CORS, faults);
// this file only moves bytes between Node's HTTP server and the mock.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

import { createMockFetch } from './mock.js';

const USAGE = `usage: applivery-oem mock [flags]

A local mock of Applivery's OEM user provisioning API, with fault injection.

  --addr ADDR            where to listen (default 127.0.0.1:4010; port 0: any free port)
  --port N               the same as --addr 127.0.0.1:N
  --api-key KEY          accepted bearer token (repeatable; default mock-api-key)
  --org ORG              existing organization (repeatable; default demo-org)
  --blocked-org ORG      organization answering 400 code 5187 (repeatable; default blocked-org)
  --latency-ms N         delay every API request
  --rate-limit N         API requests per second, 429 beyond
  --fault-every N:SPEC   every N-th API request gets fault SPEC (repeatable)
  --allow-origin ORIGIN  also allow browser pages on ORIGIN (repeatable)
  --allow-host HOST      also accept requests whose Host names HOST (repeatable)
  -V, --version          print the version
`;

function fail(message) {
  process.stderr.write(`applivery-oem mock: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === undefined) {
  process.stdout.write(USAGE);
  process.exit(command === undefined ? 2 : 0);
}
if (command !== 'mock') fail(`unknown command \`${command}\``);

let flags;
try {
  ({ values: flags } = parseArgs({
    args: rest,
    strict: true,
    options: {
      addr: { type: 'string' },
      port: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      'blocked-org': { type: 'string', multiple: true },
      'latency-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'fault-every': { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (flags.version) {
  process.stdout.write(`applivery-oem mock ${createRequire(import.meta.url)('./package.json').version}\n`);
  process.exit(0);
}

function whole(name, min) {
  const text = flags[name];
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) fail(`--${name}: expected a whole number >= ${min}`);
  return Number(text);
}

if (flags.addr !== undefined && flags.port !== undefined) fail('give --addr or --port, not both');
const [host, port] = flags.port !== undefined ? ['127.0.0.1', whole('port', 0)] : address(flags.addr ?? '127.0.0.1:4010');

// `HOST:PORT` or `[V6]:PORT`, an IP address as the Rust binary takes it.
function address(text) {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const ip = match && (match[1] ?? match[2]);
  if (!match || !isIP(ip) || Number(match[3]) > 65535) fail(`--addr: expected IP:PORT, got \`${text}\``);
  return [ip, Number(match[3])];
}

const faultEvery = (flags['fault-every'] ?? []).map((value) => {
  const split = value.indexOf(':');
  const every = split > 0 ? value.slice(0, split).trim() : '';
  if (!/^\d+$/.test(every) || Number(every) < 1) fail(`--fault-every: expected N:SPEC with N >= 1, got \`${value}\``);
  return [Number(every), value.slice(split + 1)];
});

let mock;
try {
  mock = createMockFetch({
    apiKeys: flags['api-key'],
    organizations: flags.org,
    blockedOrganizations: flags['blocked-org'],
    latencyMs: whole('latency-ms', 0),
    rateLimit: whole('rate-limit', 1),
    faultEvery,
    allowOrigins: flags['allow-origin'] ?? [],
    allowHosts: flags['allow-host'] ?? [],
    boundAddress: host,
  });
} catch (error) {
  fail(error.message);
}

const server = createServer(async (request, reply) => {
  // The client went away: end the request's work (a `hang` included), as the Rust server does.
  const gone = new AbortController();
  reply.on('close', () => gone.abort());
  try {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const headers = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers.push([request.rawHeaders[i], request.rawHeaders[i + 1]]);
    }
    const answer = await mock.fetch(request.url, {
      method: request.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      signal: gone.signal,
    });
    reply.writeHead(answer.status, [...answer.headers].flat());
    if (answer.body) {
      // Each chunk flushed before the next read: a body that breaks off (`truncated-json`) reaches
      // the client in part before the connection closes, as from the Rust server.
      for await (const chunk of answer.body) {
        await new Promise((resolve, reject) => reply.write(chunk, (error) => (error ? reject(error) : resolve())));
      }
    }
    reply.end();
  } catch {
    // `drop`, a body that broke off (`truncated-json`) or a client gone: close without more.
    reply.destroy();
  }
});
// Faults close connections on purpose; a reset by a client is no reason to stop.
server.on('clientError', (_, socket) => socket.destroy());
server.listen(port, host, () => {
  const bound = server.address();
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  process.stdout.write(`applivery-mock listening on http://${shown}:${bound.port}\n`);
  const keys = flags['api-key'];
  const keyText =
    keys === undefined ? 'API key: mock-api-key (the default)' : `accepted API keys: ${keys.length} (not shown)`;
  process.stderr.write(
    `organizations: ${(flags.org ?? ['demo-org']).join(', ')}; blocked: ${(flags['blocked-org'] ?? ['blocked-org']).join(', ')}; ${keyText}\n`,
  );
  if (!['127.0.0.1', '::1'].includes(bound.address) && !bound.address.startsWith('127.')) {
    process.stderr.write(
      `warning: listening on ${shown}:${bound.port}, not a loopback address: other machines can reach the mock, and /__mock/* (every OEM secret) needs no key. Browsers are still held to loopback origins (--allow-origin) and hosts (--allow-host).\n`,
    );
  }
});
server.on('error', (error) => {
  process.stderr.write(`applivery-oem mock: ${error.message}\n`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
