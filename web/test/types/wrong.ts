// Must NOT type-check: web/test/types.test.mjs expects tsc to refuse the call below.
import { AppliveryClient } from 'applivery-oem';

const client = new AppliveryClient({ apiKey: 'key' });
// `emial` is a typo of `email`.
await client.createOemUser('demo-org', { emial: 'ada@example.com' });
