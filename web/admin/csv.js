// CSV reading for the bulk tab: RFC 4180 (quoted fields, doubled quotes, CRLF), UTF-8 BOM
// accepted. The columns are the CLI's import format: the request's properties (the package's
// oemUserFields(), from the spec; list items `;`-separated), and the header is read by the CLI's
// own rule (the package's readCsvHeader, in Rust).
import { neutralizeCsvCell, oemUserFields, readCsvHeader, restoreCsvCell } from '../pkg/index.js';

/** Splits CSV text into records (arrays of strings), each with the 1-based line it starts on. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push({ line: recordLine, fields: record });
      record = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push({ line: recordLine, fields: record });
  }
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
}

/**
 * Reads an import file into rows `{ line, input }` where `input` is the createOemUser input.
 * Throws an Error with a readable message (and the header's `problem` as `cause`) when the
 * header cannot be used: no `email` column, or a column named twice.
 */
export function readImportRows(text) {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error('The file is empty.');
  const { columns, unknownColumns, problem } = readCsvHeader(header.fields);
  if (problem) {
    const found = header.fields.map((name) => name.trim()).filter(Boolean).join(', ') || 'nothing';
    throw new Error(`Line ${header.line}: ${problem.message} (found: ${found}).`, { cause: problem });
  }
  const rows = records.map(({ line, fields }) => {
    const input = {};
    for (const field of oemUserFields()) {
      const column = columns[field.name];
      // A cell our writers neutralized ('=x) reads back as written (=x): the CLI's rule.
      const value = column === undefined ? '' : restoreCsvCell((fields[column] ?? '').trim());
      if (field.list) {
        const items = value.split(';').map((item) => item.trim()).filter(Boolean);
        if (items.length) input[field.name] = items;
      } else if (value || field.required) {
        input[field.name] = value;
      }
    }
    return { line, input };
  });
  return { rows, unknownColumns };
}

/**
 * Formats rows of plain values as CSV text, quoting where needed. A cell a spreadsheet would run
 * as a formula (starting with `=`, `+`, `-`, `@`, tab, carriage return or `'`) gets one more
 * leading `'`: the package's `neutralizeCsvCell`, the rule of every CSV the CLI writes.
 */
export function toCsv(rows) {
  const quote = (v) => {
    const s = neutralizeCsvCell(v === undefined || v === null ? '' : String(v));
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
