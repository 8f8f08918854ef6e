// The admin page's readers on the rules written once in Rust, in Node: web/admin/csv.js (which
// reads the header with the package's readCsvHeader) against the CSV header table the CLI's
// import is also tested on (crates/applivery-api/tests/csv_headers.json), and
// web/admin/messages.js against the README's error kind table (checked against Rust by
// crates/applivery-cli/tests/readme_error_kinds.rs).
//
// Run by `cargo xtask test` (after `cargo xtask wasm`); by hand: `node --test web/test/csv-header.test.mjs`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';

import { readImportRows } from '../admin/csv.js';
import { explain } from '../admin/messages.js';
import { errorGuide, init, readCsvHeader } from '../pkg/index.js';

// The package's synchronous exports need the instantiated wasm, as the page's own `await init()`.
before(() => init());

const root = new URL('../../', import.meta.url);
const table = JSON.parse(readFileSync(new URL('crates/applivery-api/tests/csv_headers.json', root), 'utf8'));

test('the page reads every header of the shared table as the CLI does', () => {
  assert.ok(table.cases.length >= 20);
  for (const { name, header, columns, unknown, error } of table.cases) {
    const width = header.split(',').length;
    const data = Array.from({ length: width }, (_, i) => `v${i}`).join(',');
    const text = `${header}\r\n${data}\r\n`;
    if (error) {
      const [[reason, property]] = Object.entries(error);
      assert.throws(() => readImportRows(text), (thrown) => {
        assert.equal(thrown.cause?.reason, reason, name);
        assert.equal(thrown.cause?.property, property, name);
        assert.match(thrown.message, new RegExp(`\`${property}\``), name);
        return true;
      }, name);
      continue;
    }
    const { rows, unknownColumns } = readImportRows(text);
    assert.deepEqual(unknownColumns, unknown, name);
    const expected = { email: columns.email === undefined ? '' : `v${columns.email}` };
    if (columns.firstName !== undefined) expected.firstName = `v${columns.firstName}`;
    if (columns.lastName !== undefined) expected.lastName = `v${columns.lastName}`;
    if (columns.tags !== undefined) expected.tags = [`v${columns.tags}`];
    assert.equal(Object.keys(expected).length, Object.keys(columns).length, `${name}: a property the page does not read`);
    assert.deepEqual(rows, [{ line: 2, input: expected }], name);
  }
});

test('readCsvHeader maps cells to properties and reports unknown ones', () => {
  assert.deepEqual(readCsvHeader(['Email', 'First Name', 'Notes']), {
    columns: { email: 0, firstName: 1 },
    unknownColumns: ['Notes'],
    problem: null,
  });
  const { problem } = readCsvHeader(['first_name']);
  assert.deepEqual(problem, { reason: 'missing', property: 'email', message: 'the header has no `email` column' });
});

test('the page explains every error kind with the words of the README table', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const block = readme.split('<!-- error-kinds: generated')[1].split('<!-- /error-kinds -->')[0];
  const rows = [...block.matchAll(/^\| `([a-z_]+)` \| \d+ \| ([^|]+) \| ([^|]+) \|$/gm)];
  const guide = errorGuide();
  assert.deepEqual(guide.map((entry) => entry.kind), rows.map((row) => row[1]));
  for (const [, kind, meaning, remedy] of rows) {
    const entry = guide.find((e) => e.kind === kind);
    assert.equal(entry.meaning, meaning.trim(), kind);
    // The README's column is the CLI's hint: the remedy, then where the CLI takes the setting.
    assert.ok(remedy.trim().startsWith(entry.remedy), `${kind}: ${remedy}`);
    assert.deepEqual(explain({ kind }), { title: entry.meaning, action: entry.remedy }, kind);
  }
  assert.equal(explain({ kind: 'aborted' }).title, 'The request was cancelled');
});
