// Node ESM, Deno and Bun: creates one user on the mock (URL and email as arguments), then tries
// one through a front that redirects (its URL the third argument), and prints
// `{ created, redirected }`: the collaborator, and how the redirect failed. Deno has no `process`
// global unless asked; its arguments are `Deno.args`.
import { AppliveryClient, init, validateOemUser } from 'applivery-oem';

const [baseUrl, email, redirectingUrl] = globalThis.Deno ? Deno.args : process.argv.slice(2);
await init();
if (validateOemUser({ email }).length > 0) throw new Error(`invalid email ${email}`);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
const created = await client.createOemUser('demo-org', { email });
const moved = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: redirectingUrl });
const redirected = await moved.createOemUser('demo-org', { email: `moved-${email}` }).then(
  () => 'followed',
  ({ kind, retryable, attempts }) => ({ kind, retryable, attempts }),
);
console.log(JSON.stringify({ created, redirected }));
