// The admin page: plain ESM on top of the applivery-oem package. Validation, error kinds and
// retries all come from the package (the Rust SDK compiled to WebAssembly); this file only
// wires the form, the bulk run and the messages to the page.
import { AppliveryClient, init, oemUserFields, validateOemUser } from '../pkg/index.js';
import { readImportRows, toCsv } from './csv.js';
import { explain } from './messages.js';
import { offerGroups } from './groups.js';
import { initUsersTab } from './users.js';
import { secretsOffer } from './secrets.js';
import { showSecretOnce } from './secret-once.js';

const $ = (selector) => document.querySelector(selector);
/** Where a remembered key is kept, with the base URL it was given for: `{ apiKey, baseUrl }`. */
const KEY_STORAGE = 'applivery-admin.key';
/** Where pages before the session/restart choice kept the bare key (in localStorage). */
const LEGACY_KEY_STORAGE = 'applivery-admin.apiKey';
const BULK_CONCURRENCY = 4;

// ---- connection -----------------------------------------------------------------------------
//
// The key goes only where its owner pointed it. A remembered key is kept with the base URL it was
// given for; sending it anywhere else needs a yes in the page's own dialog. The demo's
// /demo-config.json (anything on this origin can serve one) is read only on a loopback page, and
// never when the key came from storage.

const connection = { baseUrl: $('#base-url'), organizationId: $('#organization-id'), apiKey: $('#api-key') };
const remember = { session: $('#remember-key'), restarts: $('#remember-key-restarts') };
/** The base URL the remembered key may be sent to; `null` while no key is remembered. */
let keyBaseUrl = null;

function readStoredKey() {
  const legacy = localStorage.getItem(LEGACY_KEY_STORAGE);
  if (legacy) {
    // The old page's only choice was local storage: it stays the "after restarts" choice, bound to
    // the default base URL (the field's own), so pointing it at any other server asks first.
    localStorage.setItem(KEY_STORAGE, JSON.stringify({ apiKey: legacy, baseUrl: connection.baseUrl.defaultValue }));
    localStorage.removeItem(LEGACY_KEY_STORAGE);
  }
  for (const [storage, restarts] of [[localStorage, true], [sessionStorage, false]]) {
    try {
      const stored = JSON.parse(storage.getItem(KEY_STORAGE));
      if (typeof stored?.apiKey === 'string' && typeof stored.baseUrl === 'string') return { ...stored, restarts };
    } catch {
      // Not ours: ignored, and overwritten by the next choice.
    }
  }
  return null;
}

/** Pages served from this machine (where `cargo xtask demo` serves this one). */
function isLoopbackPage() {
  const host = location.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function restoreConnection() {
  const stored = readStoredKey();
  if (stored) {
    connection.apiKey.value = stored.apiKey;
    connection.baseUrl.value = stored.baseUrl;
    keyBaseUrl = stored.baseUrl;
    remember.session.checked = true;
    remember.restarts.checked = stored.restarts;
  }
  showRememberChoice();
  if (stored || !isLoopbackPage()) return Promise.resolve();
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

function showRememberChoice() {
  remember.restarts.disabled = !remember.session.checked;
  if (!remember.session.checked) remember.restarts.checked = false;
}

/** Keeps the key as the boxes say: in memory, this session's storage, or local storage. */
function rememberKey() {
  showRememberChoice();
  localStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(KEY_STORAGE);
  keyBaseUrl = null;
  if (!remember.session.checked || !connection.apiKey.value) return;
  keyBaseUrl = connection.baseUrl.value.trim();
  const storage = remember.restarts.checked ? localStorage : sessionStorage;
  storage.setItem(KEY_STORAGE, JSON.stringify({ apiKey: connection.apiKey.value, baseUrl: keyBaseUrl }));
}
remember.session.addEventListener('change', rememberKey);
remember.restarts.addEventListener('change', rememberKey);
connection.apiKey.addEventListener('change', rememberKey);

let pendingConfirmation = null;
/**
 * Resolves true when the key may go to the base URL in the field: no key is remembered, or it is
 * the remembered key's, or the user said yes in the dialog (the key is then remembered for it).
 * On no, the field goes back and this resolves false.
 */
function confirmBaseUrl() {
  const wanted = connection.baseUrl.value.trim();
  if (keyBaseUrl === null || wanted === keyBaseUrl) return Promise.resolve(true);
  pendingConfirmation ??= new Promise((resolve) => {
    const dialog = $('#base-url-dialog');
    $('#base-url-old').textContent = keyBaseUrl;
    $('#base-url-new').textContent = wanted;
    const done = (yes) => {
      dialog.removeEventListener('close', onClose);
      pendingConfirmation = null;
      if (yes) rememberKey();
      else connection.baseUrl.value = keyBaseUrl;
      if (dialog.open) dialog.close();
      resolve(yes);
    };
    const onClose = () => done(false);
    dialog.addEventListener('close', onClose);
    $('#base-url-yes').onclick = () => done(true);
    $('#base-url-no').onclick = () => done(false);
    dialog.showModal();
  });
  return pendingConfirmation;
}
connection.baseUrl.addEventListener('change', () => confirmBaseUrl());

/** The error a declined base URL change reports where a request would have been sent. */
function notSent() {
  return Object.assign(new Error(`Not sent: the remembered API key stays with ${keyBaseUrl}.`), { kind: 'aborted' });
}

/** A client for the connection fields, once the key may go to their base URL. */
async function client() {
  if (!(await confirmBaseUrl())) throw notSent();
  return new AppliveryClient({ apiKey: connection.apiKey.value, baseUrl: connection.baseUrl.value.trim() });
}

// ---- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) -----------------------------

const tabs = [...document.querySelectorAll('[role=tab]')];
let usersShown;
// After a create, the organization's groups may have a new tag.
let groupsChanged;
function selectTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  if (tab.id === 'tab-users') usersShown?.();
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) selectTab(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
  });
}

// ---- single create ----------------------------------------------------------------------------

// The request's properties come from the package (generated from the spec): a property added
// there gets its input here with no edit. Ids are the kebab-case names (the CLI's flags).
let userFields = [];
const FIELD_INPUTS = { organizationId: '#organization-id' };

/** `firstName` -> `First name`. */
function labelOf(name) {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}

/** Where the organization's groups are named, beside the tags field (groups.js fills it). */
function groupsHint() {
  const hint = element('p', { className: 'hint' });
  hint.dataset.groupsHint = '';
  return hint;
}

function renderUserFields() {
  userFields = oemUserFields();
  const fields = userFields.map((field) => {
    FIELD_INPUTS[field.name] = `#${field.flag}`;
    const described = [field.list && `${field.name}-hint`, `${field.name}-error`].filter(Boolean).join(' ');
    const input = element('input', { id: field.flag, name: field.name, autocomplete: 'off', required: field.required });
    input.setAttribute('aria-describedby', described);
    // The organization's groups are its collaborators' tags: offered as suggestions.
    if (field.name === 'tags') input.setAttribute('list', 'group-suggestions');
    const label = element('label', { htmlFor: field.flag, textContent: labelOf(field.name) });
    if (field.required) label.append(' ', element('span', { textContent: '*', ariaHidden: 'true' }));
    return element('div', { className: 'field' },
      label,
      input,
      ...(field.list ? [element('p', { className: 'hint', id: `${field.name}-hint`, textContent: 'Separate items with commas.' })] : []),
      ...(field.name === 'tags' ? [groupsHint()] : []),
      element('p', { className: 'error', id: `${field.name}-error`, hidden: true }));
  });
  $('#user-fields').replaceChildren(...fields);
  const columns = userFields.map((field) => [element('code', { textContent: field.name }), field.required ? ' (required)' : '']);
  $('#csv-columns').replaceChildren(...columns.flatMap((parts, i) => (i ? [', ', ...parts] : parts)));
}

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
  const input = {};
  for (const field of userFields) {
    const raw = document.getElementById(field.flag).value;
    if (field.list) {
      const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
      if (items.length) input[field.name] = items;
    } else if (raw.trim() || field.required) {
      input[field.name] = raw.trim();
    }
  }
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
    const collaborator = await (await client()).createOemUser(connection.organizationId.value.trim(), singleInput());
    groupsChanged?.();
    result.replaceChildren(renderCollaborator(collaborator), showSecretOnce(collaborator.oemSecret));
  } catch (error) {
    showFieldErrors(error.fieldErrors ?? []);
    result.replaceChildren(renderError(error));
  } finally {
    button.disabled = false;
    button.textContent = 'Create OEM user';
  }
});

// ---- bulk import --------------------------------------------------------------------------------
//
// Every row of the file has a line in the table from the start, in file order, and a state:
// invalid rows are known before anything is sent; the others go queued → an outcome, in file order, from the package's createOemUsers.
// Stopping leaves queued rows "not sent" and rows in flight "sent, outcome unknown" (the
// request may have created the user). Counters move by one per change, so a 10,000-row file
// costs the same per row as a 10-row one.

const OUTCOMES = ['created', 'already_registered', 'invalid', 'failed', 'unknown', 'not_sent'];
const LABELS = { created: 'created', already_registered: 'already registered', invalid: 'invalid', failed: 'failed',
  unknown: 'sent, outcome unknown', not_sent: 'not sent', queued: 'queued', sending: 'sending…' };

let bulkRows = [];
/** One entry per file row: `{ row, state, details, cells }`. */
let bulkResults = [];
let bulkRun = null;
const bulkSecrets = secretsOffer($('#bulk-secrets'), 'oem-users-secrets.csv');
const counts = {};

function setCount(name, value) {
  const node = $(`[data-count="${name}"]`);
  if (node) node.textContent = String(value);
}

function bump(name, step) {
  counts[name] = (counts[name] ?? 0) + step;
  dirtyCounts.add(name);
}

/** Results and counters changed since the page last showed them. */
const dirtyResults = new Set();
const dirtyCounts = new Set();
let flushTimer = null;

/** Shows what changed, at most every FLUSH_MS: with many rows finishing at once the page
 * re-renders a few times a second instead of once per row. */
const FLUSH_MS = 100;
function flush() {
  flushTimer = null;
  for (const result of dirtyResults) {
    result.cells.outcome.className = `outcome-${result.state}`;
    result.cells.outcome.textContent = LABELS[result.state];
    result.cells.details.textContent = result.details;
  }
  dirtyResults.clear();
  for (const name of dirtyCounts) setCount(name, counts[name]);
  dirtyCounts.clear();
  $('#bulk-progress').value = counts.done;
}

function scheduleFlush() {
  flushTimer ??= setTimeout(flush, FLUSH_MS);
}

/** Moves a result to `state`: at most two counters change, and its row is redrawn. */
function setState(result, state, details = '') {
  if (OUTCOMES.includes(result.state)) bump(result.state, -1);
  if (OUTCOMES.includes(state)) bump(state, 1);
  const wasFinal = isFinished(result.state);
  result.state = state;
  result.details = details;
  dirtyResults.add(result);
  if (isFinished(state) !== wasFinal) bump('done', isFinished(state) ? 1 : -1);
  scheduleFlush();
}

/** Rows this run is finished with (not waiting, not in flight, not left unsent). */
function isFinished(state) {
  return state === 'created' || state === 'already_registered' || state === 'invalid' || state === 'failed';
}

function resetBulk(rows) {
  bulkResults = [];
  dirtyResults.clear();
  for (const name of [...OUTCOMES, 'done']) {
    counts[name] = 0;
    dirtyCounts.add(name);
  }
  setCount('total', rows.length);
  $('#bulk-progress').max = Math.max(rows.length, 1);
  $('#bulk-progress').value = 0;
  $('#bulk-status').replaceChildren();
  $('#bulk-download').disabled = true;
  const body = document.createDocumentFragment();
  for (const row of rows) {
    const cell = (text = '') => {
      const td = element('td', { textContent: text });
      td.setAttribute('role', 'cell');
      return td;
    };
    const outcome = cell();
    const details = cell();
    const tr = element('tr', {}, cell(row.line), cell(row.input.email), outcome, details);
    tr.setAttribute('role', 'row');
    body.append(tr);
    const result = { row, state: 'queued', details: '', cells: { outcome, details } };
    bulkResults.push(result);
    if (row.fieldErrors.length) setState(result, 'invalid', row.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
    else setState(result, 'queued');
  }
  clearTimeout(flushTimer);
  flush();
  $('#bulk-results tbody').replaceChildren(body);
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
    resetBulk(bulkRows);
    $('#bulk-start').disabled = rows.length === 0;
  } catch (error) {
    check.replaceChildren(element('p', { className: 'error', textContent: error.message }));
  }
});

// The package's createOemUsers runs the rows (pace, retries, stop); the page shows outcomes.
const STATES = { already_registered_after_retry: 'already_registered' };
$('#bulk-start').addEventListener('click', async () => {
  let api;
  try {
    api = await client();
  } catch (error) {
    $('#bulk-status').replaceChildren(renderError(error));
    return;
  }
  resetBulk(bulkRows);
  bulkSecrets.reset();
  const queued = bulkResults.filter((result) => result.state === 'queued');
  bulkRun = api.createOemUsers(connection.organizationId.value.trim(), queued.map((r) => r.row.input), { concurrency: BULK_CONCURRENCY });
  $('#bulk-start').disabled = true;
  $('#bulk-cancel').disabled = false;
  for await (const { index, outcome, collaborator, oemSecret, error } of bulkRun) {
    const result = queued[index];
    bulkSecrets.add(result.row.input.email, collaborator?.id, oemSecret);
    const details = error ? `${explain(error).title} (${error.kind})` : outcome === 'unknown'
      ? 'Stopped while in flight: the user may have been created. A later run reports it as already registered if so.'
      : outcome === 'not_sent' ? 'The run was stopped before this row was sent.' : collaborator?.id ?? '';
    setState(result, STATES[outcome] ?? outcome, details);
  }
  clearTimeout(flushTimer);
  flush();
  if (counts.not_sent || counts.unknown) {
    const { title, action } = explain({ kind: 'aborted' });
    $('#bulk-status').replaceChildren(element('div', { className: 'result failure' },
      element('h3', { textContent: `Stopped: ${title.toLowerCase()}` }),
      element('p', { textContent: `${counts.not_sent} rows not sent; ${counts.unknown} sent with no answer (outcome unknown). ${action} ` +
        'Starting again sends every valid row again: users created before are then reported as already registered.' })));
  }
  bulkRun = null;
  $('#bulk-cancel').disabled = true;
  $('#bulk-start').disabled = false;
  $('#bulk-download').disabled = bulkResults.length === 0;
});

// The first Stop lets what is in flight finish; a second abandons it (outcome unknown).
$('#bulk-cancel').addEventListener('click', () => bulkRun?.stop());

$('#bulk-download').addEventListener('click', () => {
  const csv = toCsv([['line', 'email', 'outcome', 'details'], ...bulkResults.map((r) => [r.row.line, r.row.input.email, r.state, r.details])]);
  const link = element('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'oem-users-results.csv' });
  link.click();
  URL.revokeObjectURL(link.href);
});

// validateOemUser (bulk import) is synchronous once the package's wasm is instantiated.
await init();
renderUserFields();
usersShown = initUsersTab({ client, organizationId: () => connection.organizationId.value.trim(), explain, secretsOffer });
groupsChanged = offerGroups({ client, organizationId: () => connection.organizationId.value.trim() });
await restoreConnection();
document.body.dataset.ready = 'true';
