// One sequence of requests, run against a mock through a `fetch`-like function, recording what a
// caller sees: status, the headers a browser may read, the body with ids, secrets and times
// replaced by their shape; a rejected `fetch`, a body failing while read. The parity tests run it
// against the Rust mock over HTTP and `applivery-oem/mock` (Node and Chromium) and compare.
// Plain ES module: no Node API, so a browser page imports it as it is.

const ORG = 'demo-org';
const KEY = 'mock-api-key';
const users = `/v1/organizations/${ORG}/oem/users`;
const json = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };

/** Ids, secrets and timestamps by shape: they differ between any two runs. */
export function byShape(text) {
  return text
    .replace(/\b[0-9a-f]{48}\b/g, '<secret>')
    .replace(/\b[0-9a-f]{24}\b/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>');
}

/** What a caller of `send(path, init)` sees. */
async function observe(send, path, init = {}) {
  let response;
  try {
    response = await send(path, init);
  } catch (error) {
    return { rejected: error?.name === 'AbortError' ? 'AbortError' : 'TypeError' };
  }
  const seen = { status: response.status };
  // Those a page may read from another origin (the mock exposes the last two).
  for (const name of ['content-type', 'retry-after', 'x-mock-detail']) {
    const value = response.headers.get(name);
    if (value !== null) seen[name] = value;
  }
  let text;
  try {
    text = await response.text();
  } catch {
    return { ...seen, bodyFailed: true };
  }
  seen.body = text.length > 100_000 ? `${text.length} bytes` : byShape(text);
  return seen;
}

/**
 * Runs the sequence; `send(path, init)` is `fetch` bound to the mock's base URL, `client(options)`
 * makes an `AppliveryClient` on the same mock. Returns `[step name, what was seen]` pairs.
 */
export async function runSequence(send, client) {
  const steps = [];
  const step = async (name, path, init) => {
    const seen = await observe(send, path, init);
    steps.push([name, seen]);
    return seen;
  };
  const post = (body, headers = json) => ({ method: 'POST', headers, body });
  await step('reset', '/__mock/reset', { method: 'POST' });

  await step(
    'create',
    users,
    post(JSON.stringify({ email: 'Ada@Example.com', firstName: 'Ada', lastName: 'L', tags: ['x', 'y'] })),
  );
  await step('duplicate, other case', users, post('{"email":"ada@example.com"}'));
  for (const email of ['bob@example.com', 'cy@example.com', 'dee@example.com']) {
    await step(`create ${email}`, users, post(JSON.stringify({ email, tags: ['x'] })));
  }
  for (const [name, body] of [
    ['not JSON', 'nope'],
    ['not an object', '[1]'],
    ['no email', '{}'],
    ['email not a string', '{"email":1}'],
    ['email pattern', '{"email":"x"}'],
    ['lastName too long', JSON.stringify({ email: 'e@example.com', lastName: 'x'.repeat(129) })],
    ['tags not a list', '{"email":"e@example.com","tags":"t"}'],
  ]) {
    await step(`invalid body: ${name}`, users, post(body));
  }
  await step('no key', users, post('{"email":"k@example.com"}', { 'content-type': 'application/json' }));
  await step('wrong key', users, post('{"email":"k@example.com"}', { ...json, authorization: 'Bearer nope' }));
  await step('not bearer', users, post('{"email":"k@example.com"}', { ...json, authorization: 'Basic eA==' }));
  for (const org of ['blocked-org', 'other-org', 'a_b']) {
    await step(`organization ${org}`, `/v1/organizations/${org}/oem/users`, post('{"email":"k@example.com"}'));
  }

  // The created user's id, read from the mock's own list (the body above shows it by shape).
  const listed = await send('/__mock/users', {}).then((r) => r.json());
  const adaId = listed[0].id;
  const secret = (path) => `${users}/${path}/secret`;
  await step('refresh', secret(adaId), { method: 'PUT', headers: json });
  await step('refresh again, by user.id', secret(listed[0].user.id), { method: 'PUT', headers: json });
  await step('refresh unknown', secret('aaaaaaaaaaaaaaaaaaaaaaaa'), { method: 'PUT', headers: json });
  await step('refresh bad id', secret('zz'), { method: 'PUT', headers: json });

  const list = `/v1/organizations/${ORG}/collaborators/`;
  for (const query of [
    '',
    '?limit=2',
    '?limit=2&page=2',
    '?page=9',
    '?email=ADA',
    '?tags=x&tags=y',
    '?role=unassigned&sort=user.email:desc',
    '?limit=abc',
  ]) {
    await step(`list ${query}`, list + query, { headers: json });
  }
  await step('groups', `${list}groups`, { headers: json });
  await step('apps (spec example)', `/v1/organizations/${ORG}/collaborators/apps`, { headers: json });
  // PUT: a method the CORS preflight allows, so a page sees the 405 too.
  await step('wrong method', users, { method: 'PUT', headers: json });
  await step('unknown route', '/v1/nothing', { headers: json });

  const faulted = (spec, email = 'f@example.com') =>
    post(JSON.stringify({ email }), { ...json, 'x-mock-fault': spec });
  for (const spec of [
    'status=503',
    'status=429',
    'status=500,code=77,retry-after=9',
    'html',
    'html,status=504',
    'malformed-json',
    'oversized',
    'oversized-chunked',
    'truncated-json',
    'drop',
    'latency=20',
    'status=502,after-create',
    'explode',
  ]) {
    await step(`fault ${spec}`, users, faulted(spec, `${spec.replace(/\W/g, '')}@example.com`));
  }
  await step('fault drop,after-create', users, faulted('drop,after-create', 'after@example.com'));
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 150);
  await step('fault hang (aborted)', users, { ...faulted('hang', 'hang@example.com'), signal: abort.signal });

  await step('mock users', '/__mock/users');
  await step('mock requests', '/__mock/requests');
  await step('mock oem-secrets', '/__mock/oem-secrets');
  await step('mock faults bad', '/__mock/faults', { method: 'POST', body: '["explode"]' });
  await step('mock health', '/__mock/health');

  // The error kind the client reports for each fault kind.
  for (const spec of ['status=503', 'html', 'malformed-json', 'truncated-json', 'oversized', 'oversized-chunked', 'drop', 'hang']) {
    const email = `client-${spec.replace(/\W/g, '')}@example.com`;
    // Queued twice: Chromium itself resends a request whose reused connection closed without an
    // answer (`drop`), once, which an in-memory `fetch` cannot do; the second fault makes the
    // page see the failure as Node does. Each email is used once, so a leftover changes nothing.
    await send(`/__mock/faults?email=${email}`, { method: 'POST', body: JSON.stringify([spec, spec]) });
    let kind;
    try {
      await client({ maxRetries: 0, timeoutMs: 300 }).createOemUser(ORG, { email });
      kind = 'ok';
    } catch (error) {
      kind = error.kind ?? error.name;
    }
    steps.push([`client kind: ${spec}`, kind]);
  }
  return steps;
}
