// Node ESM, Deno and Bun: creates one user on the mock (URL and email as arguments), two more in
// a bulk run (which loads the package's bulk engine), then tries one through a front that
// redirects (its URL the third argument), and prints `{ created, bulk, redirected }`: the
// collaborator, each bulk outcome and its email, and how the redirect failed. Deno has no `process`
// global unless asked; its arguments are `Deno.args`.
import { AppliveryClient, init, validateOemUser } from 'applivery-oem';

const [baseUrl, email, redirectingUrl] = globalThis.Deno ? Deno.args : process.argv.slice(2);
await init();
if (validateOemUser({ email }).length > 0) throw new Error(`invalid email ${email}`);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
const created = await client.createOemUser('demo-org', { email });
const bulk = [];
for await (const { outcome, collaborator } of client.createOemUsers('demo-org', [
  { email: `bulk-1-${email}` },
  { email: `bulk-2-${email}` },
])) {
  bulk.push({ outcome, email: collaborator?.user.email });
}
const moved = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: redirectingUrl });
const redirected = await moved.createOemUser('demo-org', { email: `moved-${email}` }).then(
  () => 'followed',
  ({ kind, retryable, attempts }) => ({ kind, retryable, attempts }),
);
console.log(JSON.stringify({ created, bulk, redirected }));
