// Starts the real applivery-mock binary on a free port and talks to its /__mock/* admin routes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The binary `cargo xtask test` built (override with APPLIVERY_MOCK_BIN). */
export const mockBinary =
  process.env.APPLIVERY_MOCK_BIN ?? `${repoRoot}target/debug/applivery-mock`;

/** Starts the mock; resolves once it printed its "listening on" line. */
export async function startMock(args = []) {
  const child = spawn(mockBinary, ['--addr', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const baseUrl = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`applivery-mock exited (${code})`)));
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  const admin = async (path, init) => {
    const response = await fetch(`${baseUrl}/__mock/${path}`, init);
    if (!response.ok) throw new Error(`mock ${path}: HTTP ${response.status}`);
    return response.headers.get('content-type')?.includes('json') ? response.json() : null;
  };
  return {
    baseUrl,
    /** Created collaborators, as the mock stored them. */
    users: () => admin('users'),
    /** `{organization, email, collaboratorId, oemSecret}` of every created user. */
    oemSecrets: () => admin('oem-secrets'),

    reset: () => admin('reset', { method: 'POST' }),
    /** Queues fault specs, each consumed by the next API request. */
    faults: (specs) =>
      admin('faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(specs),
      }),
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.kill();
      }),
  };
}
