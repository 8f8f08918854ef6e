// Packs web/pkg with `npm pack` and installs the tarball into a fresh temporary project, so the
// tests import exactly what users would get from the registry.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));

/** Returns the directory of a temporary project with the packed package installed. */
export function installPackedPackage() {
  const dir = mkdtempSync(join(tmpdir(), 'applivery-oem-test-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', pkgDir, '--json', '--pack-destination', dir], {
      encoding: 'utf8',
    }),
  );
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--offline', join(dir, packed[0].filename)],
    { cwd: dir, stdio: 'inherit' },
  );
  return { dir, files: packed[0].files.map((f) => f.path) };
}

/** Imports the installed package by its name (through its `exports`), as a consumer would. */
export async function importInstalled(dir) {
  const consumer = join(dir, 'consumer.mjs');
  writeFileSync(consumer, "export * from 'applivery-oem';\n");
  return import(pathToFileURL(consumer).href);
}
