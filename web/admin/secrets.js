// New OEM secrets from a bulk run (import or rotation), offered once as a CSV download
// (`email,collaboratorId,oemSecret`, cells neutralized by the package's rule) and then
// forgotten: the page keeps them in memory only until they are downloaded or a new run starts,
// and warns before the tab closes while some are not downloaded.
import { toCsv } from './csv.js';

const undownloaded = new Set();
addEventListener('beforeunload', (event) => {
  if ([...undownloaded].some((offer) => offer.rows.length)) event.preventDefault();
});

/** A download offer bound to `button`; `name` is the file's name. */
export function secretsOffer(button, name) {
  const offer = { rows: [] };
  const show = () => {
    button.disabled = offer.rows.length === 0;
    button.textContent = offer.rows.length ? `Download ${offer.rows.length} new secrets (CSV, once)` : 'New secrets (CSV): none to download';
  };
  button.addEventListener('click', () => {
    const csv = toCsv([['email', 'collaboratorId', 'oemSecret'], ...offer.rows]);
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })),
      download: name,
    });
    link.click();
    URL.revokeObjectURL(link.href);
    offer.rows = [];
    undownloaded.delete(offer);
    show();
  });
  show();
  return {
    /** Starts a new run's list (the old one's secrets are dropped). */
    reset() {
      offer.rows = [];
      show();
    },
    /** Keeps one secret until downloaded; the `OemSecret` is read here and released. */
    add(email, collaboratorId, oemSecret) {
      if (!oemSecret) return;
      offer.rows.push([email ?? '', collaboratorId, oemSecret.expose()]);
      oemSecret.free();
      undownloaded.add(offer);
      show();
    },
  };
}
