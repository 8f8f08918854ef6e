// A new user's OEM secret, shown once with a copy button (as the Users tab's single refresh
// does): read from the package's `OemSecret` here and released; the page keeps no other copy,
// and the next result replaces this element.

/** The element showing `oemSecret` (an `OemSecret`), or a note when the answer had none. */
export function showSecretOnce(oemSecret) {
  const box = document.createElement('div');
  box.className = 'secret-once';
  const note = document.createElement('p');
  const code = document.createElement('code');
  code.id = 'created-secret';
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  if (!oemSecret) {
    note.textContent = 'The answer carried no OEM secret.';
    box.append(note);
    return box;
  }
  note.textContent = 'The new OEM secret, shown once: copy it now. This page does not keep it.';
  code.textContent = oemSecret.expose();
  oemSecret.free();
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Copy secret';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Copying is not allowed here: select the secret and copy it.';
    }
  });
  box.append(note, code, ' ', copy, status);
  return box;
}
