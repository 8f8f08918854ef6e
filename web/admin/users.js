// The Users tab: the organization's collaborators, filtered and paged through the package's
// listCollaboratorsPage, and per user a "Refresh secret" action behind a confirmation that shows
// the new secret once (with a copy button) and keeps it nowhere: closing the dialog clears it.

const PAGE_SIZE = 20;
const $ = (selector) => document.querySelector(selector);

/**
 * Wires the tab. `client()` resolves to a client for the connection fields (it rejects when the
 * user keeps a remembered key from a new base URL); `explain(error)` words an
 * error. Returns what to call when the tab is shown (the first time, it loads page 1).
 */
export function initUsersTab({ client, organizationId, explain, secretsOffer }) {
  let loaded = false;
  let page = 1;
  let lastPage = 1;
  let refreshing;

  function filters() {
    const options = { pageSize: PAGE_SIZE };
    const role = $('#users-role').value;
    const email = $('#users-email').value.trim();
    const tag = $('#users-tag').value.trim();
    const sort = $('#users-sort').value;
    if (role) options.role = role;
    if (email) options.email = email;
    if (tag) options.tags = [tag];
    if (sort) options.sort = sort;
    return options;
  }

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text ?? '';
    return td;
  }

  async function show(wanted) {
    const status = $('#users-status');
    status.textContent = 'Loading…';
    $('#email-filter-error').hidden = true;
    try {
      const result = await (await client()).listCollaboratorsPage(organizationId(), wanted, filters());
      page = result.page ?? wanted;
      lastPage = Math.max(result.totalPages ?? page, 1);
      const rows = result.items.map((collaborator) => {
        const user = collaborator.user ?? {};
        const action = document.createElement('button');
        action.type = 'button';
        action.textContent = 'Refresh secret';
        action.setAttribute('aria-label', `Refresh the OEM secret of ${user.email ?? collaborator.id}`);
        action.addEventListener('click', () => confirmRefresh(collaborator));
        const actions = document.createElement('td');
        actions.append(action);
        const tr = document.createElement('tr');
        tr.append(
          cell(user.email),
          cell([user.firstName, user.lastName].filter(Boolean).join(' ')),
          cell(collaborator.role),
          cell((collaborator.tags ?? []).join(', ')),
          cell(collaborator.createdAt),
          actions,
        );
        return tr;
      });
      $('#users-table tbody').replaceChildren(...rows);
      const total = result.totalDocs ?? result.items.length;
      $('#users-page').textContent = `Page ${page} of ${lastPage} · ${total} collaborator${total === 1 ? '' : 's'}`;
      status.textContent = total === 0 ? 'No collaborator matches.' : '';
    } catch (error) {
      const { title, action } = explain(error);
      status.textContent = `${title}: ${error.message}. ${action}`;
      const emailError = error.fieldErrors?.find((e) => e.field === 'email');
      if (emailError) {
        $('#email-filter-error').textContent = emailError.message;
        $('#email-filter-error').hidden = false;
      }
    }
    $('#users-previous').disabled = page <= 1;
    $('#users-next').disabled = page >= lastPage;
  }

  function confirmRefresh(collaborator) {
    refreshing = collaborator;
    $('#refresh-email').textContent = collaborator.user?.email ?? collaborator.id;
    $('#refresh-confirm').hidden = false;
    $('#refresh-done').hidden = true;
    $('#refresh-error').textContent = '';
    $('#refresh-dialog').showModal();
    $('#refresh-cancel').focus();
  }

  async function refresh() {
    $('#refresh-go').disabled = true;
    try {
      const refreshed = await (await client()).refreshOemUserSecret(organizationId(), refreshing.id);
      // Read once into the page, then released from the package's memory.
      $('#refresh-secret').textContent = refreshed.oemSecret?.expose() ?? '(none returned)';
      refreshed.oemSecret?.free();
      $('#refresh-confirm').hidden = true;
      $('#refresh-done').hidden = false;
      $('#refresh-copy').focus();
    } catch (error) {
      const { title, action } = explain(error);
      $('#refresh-error').textContent = `${title}: ${error.message}. ${action}`;
    } finally {
      $('#refresh-go').disabled = false;
    }
  }

  // Closing, however it happens (button, Escape), forgets the secret.
  $('#refresh-dialog').addEventListener('close', () => {
    $('#refresh-secret').textContent = '';
    $('#refresh-copied').textContent = '';
    refreshing = undefined;
  });
  $('#refresh-go').addEventListener('click', refresh);
  $('#refresh-cancel').addEventListener('click', () => $('#refresh-dialog').close());
  $('#refresh-close').addEventListener('click', () => $('#refresh-dialog').close());
  $('#refresh-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('#refresh-secret').textContent);
      $('#refresh-copied').textContent = 'Copied.';
    } catch {
      $('#refresh-copied').textContent = 'Copying is not allowed here: select the secret and copy it.';
    }
  });
  // ---- rotation: every user the filter matches (all pages), by the package's
  // refreshOemUserSecrets; the new secrets offered once as a CSV (secrets.js).
  const rotated = secretsOffer($('#rotate-secrets'), 'oem-secrets-rotated.csv');
  let rotation = null;
  let matching = 0;

  $('#rotate-start').addEventListener('click', async () => {
    const status = $('#rotate-status');
    try {
      const first = await (await client()).listCollaboratorsPage(organizationId(), 1, { ...filters(), pageSize: 1 });
      matching = first.totalDocs ?? first.items.length;
    } catch (error) {
      const { title, action } = explain(error);
      status.textContent = `${title}: ${error.message}. ${action}`;
      return;
    }
    if (matching === 0) {
      status.textContent = 'No user matches the filter: nothing to refresh.';
      return;
    }
    $('#rotate-question').textContent = `Give the ${matching} user${matching === 1 ? '' : 's'} the current filter shows (every page) a new OEM secret? ` +
      'Their current secrets stop working at once. The new ones are offered once, as a CSV download.';
    $('#rotate-dialog').showModal();
    // The safe answer has the focus (set here: an `autofocus` in a second dialog changes how
    // Chromium lets Escape close the first).
    $('#rotate-cancel').focus();
  });
  $('#rotate-cancel').addEventListener('click', () => $('#rotate-dialog').close());
  $('#rotate-go').addEventListener('click', async () => {
    $('#rotate-dialog').close();
    const api = await client();
    const organization = organizationId();
    const options = filters();
    const emails = new Map();
    // Pages are read as the run asks for ids, so a long list is never held whole.
    async function* ids() {
      for await (const collaborator of api.listCollaborators(organization, options)) {
        emails.set(collaborator.id, collaborator.user?.email);
        yield collaborator.id;
      }
    }
    const tally = {};
    const progress = $('#rotate-progress');
    const show = (done) => {
      progress.value = done;
      const parts = Object.entries(tally).map(([outcome, n]) => `${outcome.replaceAll('_', ' ')} ${n}`);
      $('#rotate-status').textContent = `${done} of ${matching} done: ${parts.join(', ') || 'starting…'}`;
    };
    rotated.reset();
    progress.max = matching;
    progress.hidden = false;
    $('#rotate-start').disabled = true;
    $('#rotate-stop').disabled = false;
    $('#rotate-stop').textContent = 'Stop';
    rotation = api.refreshOemUserSecrets(organization, ids(), { concurrency: 4 });
    let done = 0;
    show(0);
    for await (const outcome of rotation) {
      rotated.add(emails.get(outcome.input), outcome.input, outcome.oemSecret);
      emails.delete(outcome.input);
      tally[outcome.outcome] = (tally[outcome.outcome] ?? 0) + 1;
      show(++done);
    }
    rotation = null;
    $('#rotate-start').disabled = false;
    $('#rotate-stop').disabled = true;
    $('#rotate-stop').textContent = 'Stop';
  });
  // The first Stop lets the requests in flight finish; a second abandons them (outcome unknown).
  $('#rotate-stop').addEventListener('click', () => {
    rotation?.stop();
    $('#rotate-stop').textContent = 'Abandon requests in flight';
  });

  $('#users-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    show(1);
  });
  $('#users-previous').addEventListener('click', () => show(page - 1));
  $('#users-next').addEventListener('click', () => show(page + 1));
  return () => {
    if (!loaded) {
      loaded = true;
      show(1);
    }
  };
}
