// The package's generated index.d.ts and index.d.cts, seen by TypeScript consumers of the
// installed tarball under `module: nodenext`: a correct ES module consumer type-checks with
// `tsc --strict`, a wrong call fails; a CommonJS consumer (.cts) type-checks, compiles and creates a
// user on applivery-mock; @arethetypeswrong/cli finds no problem in the tarball.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { installTarball, packPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';

const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const sources = fileURLToPath(new URL('./types/', import.meta.url));
const attw = fileURLToPath(new URL('../node_modules/@arethetypeswrong/cli/dist/index.js', import.meta.url));
let dir;
let tarball;

before(() => {
  tarball = packPackage();
  dir = installTarball(tarball);
  for (const file of ['consumer.ts', 'consumer.cts', 'wrong.ts', 'mock-consumer.ts']) {
    copyFileSync(join(sources, file), join(dir, file));
  }
});

function typeCheck(file, emit = ['--noEmit']) {
  const args = [tsc, '--strict', ...emit, '--target', 'es2022', '--module', 'nodenext'];
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

test('a consumer of applivery-oem/mock type-checks with --strict', () => {
  const { status, output } = typeCheck('mock-consumer.ts');
  assert.equal(status, 0, output);
});

test('a wrong call fails to type-check', () => {
  const { status, output } = typeCheck('wrong.ts');
  assert.notEqual(status, 0, 'tsc accepted wrong.ts');
  assert.match(output, /wrong\.ts\(6,/, output);
  assert.match(output, /emial/, output);
});

test('a CommonJS consumer (.cts) type-checks, compiles and creates a user', async () => {
  const { status, output } = typeCheck('consumer.cts', ['--outDir', 'out']);
  assert.equal(status, 0, output);
  const compiled = readFileSync(join(dir, 'out', 'consumer.cjs'), 'utf8');
  assert.match(compiled, /require\("applivery-oem"\)/);
  const mock = await startMock();
  try {
    const email = 'typescript-cjs@example.com';
    const run = spawnSync(process.execPath, ['out/consumer.cjs', mock.baseUrl, email], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const created = JSON.parse(run.stdout);
    assert.deepEqual((await mock.users()).map((u) => [u.id, u.user.email]), [[created.id, email]]);
  } finally {
    await mock.stop();
  }
});

test('@arethetypeswrong/cli finds no problem for import or require, of both entries', () => {
  const result = spawnSync(process.execPath, [attw, tarball.path, '--format', 'table-flipped'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});

