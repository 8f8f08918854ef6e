// The app every bundler case builds for Chromium: creates one user on the mock whose URL, and the
// email to use, come in the page's query string; the outcome lands in `window.result`.
import { AppliveryClient, AppliveryError } from 'applivery-oem';

const query = new URLSearchParams(location.search);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: query.get('mock') });
client.createOemUser('demo-org', { email: query.get('email') }).then(
  (created) => {
    window.result = { ok: created };
  },
  (error) => {
    window.result = { error: `${error}`, isAppliveryError: error instanceof AppliveryError };
  },
);
