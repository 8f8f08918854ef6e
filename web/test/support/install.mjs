// Packs web/pkg with `npm pack` and installs the tarball into a fresh temporary project, so the
// tests import exactly what users would get from the registry.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));

/** Packs web/pkg into a temporary directory; returns the tarball's path and its file list. */
export function packPackage() {
  const dir = mkdtempSync(join(tmpdir(), 'applivery-oem-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', pkgDir, '--json', '--pack-destination', dir], {
      encoding: 'utf8',
    }),
  );
  return { path: join(dir, packed.filename), files: packed.files.map((f) => f.path) };
}

/** A fresh temporary project (an ES module package) with the packed tarball installed. */
export function installTarball(tarball) {
  const dir = mkdtempSync(join(tmpdir(), 'applivery-oem-test-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball.path], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

/** Returns the directory of a temporary project with the packed package installed. */
export function installPackedPackage() {
  const tarball = packPackage();
  return { dir: installTarball(tarball), files: tarball.files };
}

/** Imports the installed package by its name (through its `exports`), as a consumer would. */
export async function importInstalled(dir) {
  const consumer = join(dir, 'consumer.mjs');
  writeFileSync(consumer, "export * from 'applivery-oem';\n");
  return import(pathToFileURL(consumer).href);
}
