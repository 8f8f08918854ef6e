// Node CommonJS: `require` of the package, then the same calls as server-app.mjs.
const { AppliveryClient, AppliveryError } = require('applivery-oem');

const [baseUrl, email, redirectingUrl] = process.argv.slice(2);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
const moved = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: redirectingUrl });
client.createOemUser('demo-org', { email }).then(
  async (created) => {
    const bulk = [];
    for await (const { outcome, collaborator } of client.createOemUsers('demo-org', [
      { email: `bulk-1-${email}` },
      { email: `bulk-2-${email}` },
    ])) {
      bulk.push({ outcome, email: collaborator?.user.email });
    }
    const redirected = await moved.createOemUser('demo-org', { email: `moved-${email}` }).then(
      () => 'followed',
      ({ kind, retryable, attempts }) => ({ kind, retryable, attempts }),
    );
    console.log(JSON.stringify({ created, bulk, redirected }));
  },
  (error) => {
    console.error(error instanceof AppliveryError ? `${error.kind}: ${error.message}` : error);
    process.exitCode = 1;
  },
);
