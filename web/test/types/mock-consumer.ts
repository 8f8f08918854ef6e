// Type-checks with `tsc --strict --noEmit` against the installed package (web/test/types.test.mjs).
import { AppliveryClient, type Collaborator, type NewOemUser } from 'applivery-oem';
import { createMockFetch, type MockFetch, type StoredOemSecret } from 'applivery-oem/mock';

const mock: MockFetch = createMockFetch({ apiKeys: ['k'], organizations: ['acme'], rateLimit: 5 });
const client = new AppliveryClient({ apiKey: 'k', fetch: mock.fetch });
const alsoCallable: Promise<Response> = mock('https://x.invalid/__mock/health');
const users: Collaborator[] = mock.users('acme');
const requests: NewOemUser[] = mock.requests();
const secret: string | undefined = mock.oemSecret('ada@example.com');
const secrets: StoredOemSecret[] = mock.oemSecrets();
const refreshed: number = secrets[0]?.refreshCount ?? 0;
mock.faultForEmail('ada@example.com', ['status=503', 'drop']);
mock.faultForEmail('ada@example.com', 'hang');
mock.reset();
// @ts-expect-error: an option the mock does not take
createMockFetch({ apikeys: ['typo'] });
export { alsoCallable, client, refreshed, requests, secret, users };
