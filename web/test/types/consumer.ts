// Type-checks with `tsc --strict --noEmit` against the installed package (web/test/types.test.mjs).
import {
  AppliveryClient,
  AppliveryError,
  type ClientOptions,
  type Collaborator,
  type CsvHeader,
  errorGuide,
  type ErrorGuideEntry,
  type ErrorKind,
  type FieldError,
  type NewOemUser,
  readCsvHeader,
  validateOemUser,
} from 'applivery-oem';

const options: ClientOptions = {
  apiKey: 'key',
  baseUrl: 'http://127.0.0.1:4010',
  timeoutMs: 5000,
  fetch: (input, init) => fetch(input, init),
};
const client = new AppliveryClient(options);
const user: NewOemUser = { email: 'ada@example.com', firstName: 'Ada', tags: ['beta'] };
const controller = new AbortController();
const problems: FieldError[] = validateOemUser(user);
console.log(problems.map((p) => p.field));

try {
  const created: Collaborator = await client.createOemUser('demo-org', user, {
    signal: controller.signal,
  });
  const id: string = created.id;
  const email: string | null | undefined = created.user?.email;
  const createdAt: string | null = created.createdAt;
  console.log(id, email, createdAt, created.tags.join(','));
} catch (error) {
  if (error instanceof AppliveryError) {
    const kind: ErrorKind = error.kind;
    const status: number | null = error.status;
    const code: number | null = error.code;
    const retryable: boolean = error.retryable;
    const fields: string[] = error.fieldErrors.map((e) => `${e.field}: ${e.message}`);
    const message: string = error.message;
    if (kind === 'already_registered_after_retry' || kind === 'rate_limited') {
      console.log(status, code, retryable, fields, message, error.retryAfterSeconds);
    }
  }
}

await client.createOemUser('demo-org', { email: 'minimal@example.com' });

const guide: ErrorGuideEntry[] = errorGuide();
const guidedKind: ErrorKind = guide[0].kind;
const header: CsvHeader = readCsvHeader(['Email', 'First Name']);
const emailColumn: number | undefined = header.columns['email'];
const reason: 'missing' | 'duplicate' | undefined = header.problem?.reason;
console.log(guidedKind, guide[0].meaning, guide[0].remedy, emailColumn, reason, header.unknownColumns.length);
