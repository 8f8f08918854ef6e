// The package's generated index.d.ts, seen by a TypeScript consumer of the installed tarball:
// a correct file type-checks under `tsc --strict --noEmit`, a wrong call fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { installPackedPackage } from './support/install.mjs';

const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const sources = fileURLToPath(new URL('./types/', import.meta.url));
let dir;

before(() => {
  ({ dir } = installPackedPackage());
  for (const file of ['consumer.ts', 'wrong.ts']) copyFileSync(join(sources, file), join(dir, file));
});

function typeCheck(file) {
  const args = [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext'];
  const result = spawnSync(process.execPath, [...args, '--lib', 'es2022,dom', file], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('the declarations have no `any`', () => {
  const dts = readFileSync(join(dir, 'node_modules', 'applivery-oem', 'index.d.ts'), 'utf8');
  assert.doesNotMatch(dts.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, ''), /\bany\b/);
});

test('a correct consumer type-checks with --strict', () => {
  const { status, output } = typeCheck('consumer.ts');
  assert.equal(status, 0, output);
});

test('a wrong call fails to type-check', () => {
  const { status, output } = typeCheck('wrong.ts');
  assert.notEqual(status, 0, 'tsc accepted wrong.ts');
  assert.match(output, /wrong\.ts\(6,/, output);
  assert.match(output, /emial/, output);
});
