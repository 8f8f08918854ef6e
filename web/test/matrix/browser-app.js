// The app every bundler case builds for Chromium: creates one user on the mock whose URL, and the
// email to use, come in the page's query string, then two more in a bulk run (which loads the
// package's bulk engine); the outcome lands in `window.result`.
import { AppliveryClient, AppliveryError } from 'applivery-oem';

const query = new URLSearchParams(location.search);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: query.get('mock') });
async function run(email) {
  const created = await client.createOemUser('demo-org', { email });
  const bulk = [];
  for await (const { outcome, collaborator } of client.createOemUsers('demo-org', [
    { email: `bulk-1-${email}` },
    { email: `bulk-2-${email}` },
  ])) {
    bulk.push({ outcome, email: collaborator?.user.email });
  }
  return { ...created, bulk };
}

run(query.get('email')).then(
  (created) => {
    window.result = { ok: created };
  },
  (error) => {
    window.result = { error: `${error}`, isAppliveryError: error instanceof AppliveryError };
  },
);
