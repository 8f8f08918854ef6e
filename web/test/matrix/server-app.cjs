// Node CommonJS: `require` of the package, then the same call as server-app.mjs.
const { AppliveryClient, AppliveryError } = require('applivery-oem');

const [baseUrl, email] = process.argv.slice(2);
const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
client.createOemUser('demo-org', { email }).then(
  (created) => console.log(JSON.stringify(created)),
  (error) => {
    console.error(error instanceof AppliveryError ? `${error.kind}: ${error.message}` : error);
    process.exitCode = 1;
  },
);
