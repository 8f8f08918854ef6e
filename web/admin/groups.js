// The organization's collaborator groups (the tags in use, from the package's
// listCollaboratorGroups) offered as suggestions in the page's tag fields: one shared <datalist>,
// filled the first time a tag field gets the focus for an organization, again after a create
// may have added a tag. A failure leaves the suggestions empty: typing a tag still works.

const $ = (selector) => document.querySelector(selector);

/**
 * Wires every input with `list="group-suggestions"`. `client()` resolves to a client for the
 * connection fields; `organizationId()` is the organization typed in. Returns what to call when
 * the groups may have changed (after a create).
 */
export function offerGroups({ client, organizationId }) {
  let loadedFor;
  let loading;

  async function load() {
    const organization = organizationId();
    if (!organization || organization === loadedFor) return;
    loading ??= (async () => {
      try {
        const groups = await (await client()).listCollaboratorGroups(organization);
        const options = groups.items.map(({ value }) => {
          const option = document.createElement('option');
          option.value = value;
          return option;
        });
        $('#group-suggestions').replaceChildren(...options);
        // Said in words too: a datalist's choices only show while typing.
        const said = groups.items.length ? `In use: ${groups.items.map(({ value }) => value).join(', ')}.` : '';
        for (const hint of document.querySelectorAll('[data-groups-hint]')) hint.textContent = said;
        loadedFor = organization;
      } catch {
        $('#group-suggestions').replaceChildren();
        for (const hint of document.querySelectorAll('[data-groups-hint]')) hint.textContent = '';
      } finally {
        loading = undefined;
      }
    })();
    await loading;
  }

  document.addEventListener('focusin', (event) => {
    if (event.target.matches?.('input[list="group-suggestions"]')) load();
  });
  return () => {
    loadedFor = undefined;
  };
}
