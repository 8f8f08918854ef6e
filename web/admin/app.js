// The admin page: plain ESM on top of the applivery-oem package. Validation, error kinds and
// retries all come from the package (the Rust SDK compiled to WebAssembly); this file only
// wires the form, the bulk run and the messages to the page.
import { AppliveryClient, init, validateOemUser } from '../pkg/index.js';
import { readImportRows, toCsv } from './csv.js';
import { explain } from './messages.js';

const $ = (selector) => document.querySelector(selector);
const KEY_STORAGE = 'applivery-admin.apiKey';
const BULK_CONCURRENCY = 4;

// ---- connection -----------------------------------------------------------------------------

const connection = { baseUrl: $('#base-url'), organizationId: $('#organization-id'), apiKey: $('#api-key') };

function restoreConnection() {
  const remembered = localStorage.getItem(KEY_STORAGE);
  if (remembered) {
    connection.apiKey.value = remembered;
    $('#remember-key').checked = true;
  }
  // `cargo xtask demo` serves this file to point the page at the local mock; elsewhere it is absent.
  return fetch('/demo-config.json')
    .then((response) => (response.ok ? response.json() : null))
    .then((config) => {
      if (!config) return;
      connection.baseUrl.value = config.baseUrl ?? connection.baseUrl.value;
      connection.organizationId.value = config.organizationId ?? '';
      if (!connection.apiKey.value) connection.apiKey.value = config.apiKey ?? '';
    })
    .catch(() => {});
}

function rememberKey() {
  if ($('#remember-key').checked) localStorage.setItem(KEY_STORAGE, connection.apiKey.value);
  else localStorage.removeItem(KEY_STORAGE);
}
$('#remember-key').addEventListener('change', rememberKey);
connection.apiKey.addEventListener('change', rememberKey);

function client() {
  return new AppliveryClient({ apiKey: connection.apiKey.value, baseUrl: connection.baseUrl.value.trim() });
}

// ---- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) -----------------------------

const tabs = [...document.querySelectorAll('[role=tab]')];
function selectTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) selectTab(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
  });
}

// ---- single create ----------------------------------------------------------------------------

const FIELD_INPUTS = { email: '#email', firstName: '#first-name', lastName: '#last-name', tags: '#tags', organizationId: '#organization-id' };

function showFieldErrors(fieldErrors) {
  for (const [field, selector] of Object.entries(FIELD_INPUTS)) {
    const error = fieldErrors.find((e) => e.field === field);
    const message = document.getElementById(`${field}-error`);
    $(selector).setAttribute('aria-invalid', String(Boolean(error)));
    message.hidden = !error;
    message.textContent = error ? error.message : '';
  }
  const first = fieldErrors.map((e) => FIELD_INPUTS[e.field]).find(Boolean);
  if (first) $(first).focus();
}

function singleInput() {
  const input = { email: $('#email').value.trim() };
  const firstName = $('#first-name').value.trim();
  const lastName = $('#last-name').value.trim();
  const tags = $('#tags').value.split(',').map((t) => t.trim()).filter(Boolean);
  if (firstName) input.firstName = firstName;
  if (lastName) input.lastName = lastName;
  if (tags.length) input.tags = tags;
  return input;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attributes);
  node.append(...children);
  return node;
}

function renderCollaborator(collaborator) {
  const user = collaborator.user ?? {};
  const rows = [
    ['Collaborator ID', collaborator.id],
    ['Email', user.email],
    ['Name', [user.firstName, user.lastName].filter(Boolean).join(' ')],
    ['Role', collaborator.role],
    ['Tags', (collaborator.tags ?? []).join(', ')],
    ['Organization', collaborator.organization],
    ['Created at', collaborator.createdAt],
  ];
  const list = element('dl');
  for (const [name, value] of rows) list.append(element('dt', { textContent: name }), element('dd', { textContent: value || '—' }));
  return element('div', { className: 'result' }, element('h3', { textContent: 'OEM user created' }), list);
}

function renderError(error) {
  const { title, action } = explain(error);
  const details = [error.status && `HTTP ${error.status}`, error.code && `code ${error.code}`, `kind ${error.kind}`].filter(Boolean).join(' · ');
  return element('div', { className: 'result failure' },
    element('h3', { textContent: title }),
    element('p', { textContent: error.message }),
    element('p', {}, element('strong', { textContent: 'What to do: ' }), action),
    element('p', { className: 'hint', textContent: details }));
}

$('#single-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('#single-result');
  const button = $('#create-button');
  showFieldErrors([]);
  result.replaceChildren();
  button.disabled = true;
  button.textContent = 'Creating…';
  try {
    const collaborator = await client().createOemUser(connection.organizationId.value.trim(), singleInput());
    result.replaceChildren(renderCollaborator(collaborator));
  } catch (error) {
    showFieldErrors(error.fieldErrors ?? []);
    result.replaceChildren(renderError(error));
  } finally {
    button.disabled = false;
    button.textContent = 'Create OEM user';
  }
});

// ---- bulk import --------------------------------------------------------------------------------

let bulkRows = [];
let bulkResults = [];
let bulkAbort = null;

function setCount(name, value) {
  $(`[data-count="${name}"]`).textContent = String(value);
}

function resetBulk(total) {
  bulkResults = [];
  $('#bulk-results tbody').replaceChildren();
  $('#bulk-progress').max = Math.max(total, 1);
  $('#bulk-progress').value = 0;
  for (const name of ['done', 'created', 'already_registered', 'invalid', 'failed']) setCount(name, 0);
  setCount('total', total);
  $('#bulk-download').disabled = true;
}

$('#bulk-file').addEventListener('change', async () => {
  const file = $('#bulk-file').files[0];
  const check = $('#bulk-check');
  $('#bulk-start').disabled = true;
  if (!file) return;
  try {
    const { rows, unknownColumns } = readImportRows(await file.text());
    bulkRows = rows.map((row) => ({ ...row, fieldErrors: validateOemUser(row.input) }));
    const invalid = bulkRows.filter((row) => row.fieldErrors.length);
    const lines = [`${rows.length} rows read from ${file.name}: ${rows.length - invalid.length} valid, ${invalid.length} invalid.`];
    if (unknownColumns.length) lines.push(`Ignored unknown columns: ${unknownColumns.join(', ')}.`);
    for (const row of invalid.slice(0, 20)) lines.push(`Line ${row.line}: ${row.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    if (invalid.length > 20) lines.push(`…and ${invalid.length - 20} more invalid rows.`);
    check.replaceChildren(...lines.map((text) => element('p', { textContent: text })));
    resetBulk(rows.length);
    $('#bulk-start').disabled = rows.length === 0;
  } catch (error) {
    check.replaceChildren(element('p', { className: 'error', textContent: error.message }));
  }
});

function recordResult(row, outcome, details) {
  bulkResults.push({ line: row.line, email: row.input.email, outcome, details });
  setCount(outcome, bulkResults.filter((r) => r.outcome === outcome).length);
  setCount('done', bulkResults.length);
  $('#bulk-progress').value = bulkResults.length;
  $('#bulk-results tbody').append(element('tr', {},
    element('td', { textContent: row.line }),
    element('td', { textContent: row.input.email }),
    element('td', { className: `outcome-${outcome}`, textContent: outcome.replaceAll('_', ' ') }),
    element('td', { textContent: details })));
}

async function createRow(api, organizationId, row, signal) {
  if (row.fieldErrors.length) {
    recordResult(row, 'invalid', row.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
    return;
  }
  try {
    const collaborator = await api.createOemUser(organizationId, row.input, { signal });
    recordResult(row, 'created', collaborator.id);
  } catch (error) {
    const already = error.kind === 'already_registered' || error.kind === 'already_registered_after_retry';
    recordResult(row, already ? 'already_registered' : 'failed', `${explain(error).title} (${error.kind})`);
  }
}

$('#bulk-start').addEventListener('click', async () => {
  const api = client();
  const organizationId = connection.organizationId.value.trim();
  resetBulk(bulkRows.length);
  bulkAbort = new AbortController();
  $('#bulk-start').disabled = true;
  $('#bulk-cancel').disabled = false;
  const queue = [...bulkRows];
  const worker = async () => {
    while (queue.length && !bulkAbort.signal.aborted) await createRow(api, organizationId, queue.shift(), bulkAbort.signal);
  };
  await Promise.all(Array.from({ length: BULK_CONCURRENCY }, worker));
  // Rows finish out of order; once all are done, show them in file order.
  const body = $('#bulk-results tbody');
  body.append(...[...body.rows].sort((a, b) => a.cells[0].textContent - b.cells[0].textContent));
  $('#bulk-cancel').disabled = true;
  $('#bulk-start').disabled = false;
  $('#bulk-download').disabled = bulkResults.length === 0;
});

$('#bulk-cancel').addEventListener('click', () => bulkAbort?.abort());

$('#bulk-download').addEventListener('click', () => {
  const sorted = [...bulkResults].sort((a, b) => a.line - b.line);
  const csv = toCsv([['line', 'email', 'outcome', 'details'], ...sorted.map((r) => [r.line, r.email, r.outcome, r.details])]);
  const link = element('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'oem-users-results.csv' });
  link.click();
  URL.revokeObjectURL(link.href);
});

// validateOemUser (bulk import) is synchronous once the package's wasm is instantiated.
await init();
await restoreConnection();
document.body.dataset.ready = 'true';
