// A CommonJS TypeScript consumer (`.cts`: `require` under `module: nodenext`): type-checked with
// `tsc --strict`, compiled, then run against applivery-mock by web/test/types.test.mjs.
// Node's globals without @types/node in the consumer's project.
declare const process: { argv: string[]; exitCode?: number };

import { AppliveryClient, AppliveryError, type Collaborator, init } from 'applivery-oem';

async function main(baseUrl: string, email: string): Promise<void> {
  await init();
  const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl });
  try {
    const created: Collaborator = await client.createOemUser('demo-org', { email });
    console.log(JSON.stringify(created));
  } catch (error) {
    if (error instanceof AppliveryError) console.error(error.kind, error.message);
    process.exitCode = 1;
  }
}

main(process.argv[2] ?? '', process.argv[3] ?? '');
