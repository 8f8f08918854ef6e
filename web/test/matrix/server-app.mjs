// Node ESM, Deno and Bun: creates one user on the mock (URL and email as arguments) and prints
// the collaborator as JSON. Deno has no `process` global unless asked; its arguments are `Deno.args`.
import { AppliveryClient, init, validateOemUser } from 'applivery-oem';

const [baseUrl, email] = globalThis.Deno ? Deno.args : process.argv.slice(2);
await init();
if (validateOemUser({ email }).length > 0) throw new Error(`invalid email ${email}`);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
console.log(JSON.stringify(await client.createOemUser('demo-org', { email })));
