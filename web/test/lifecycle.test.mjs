// refreshOemUserSecret and listCollaborators of the packed package, against the real
// applivery-mock over HTTP: success, documented errors, faults, invalid input (nothing sent),
// and paging through 2,500 collaborators with an async iterator.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { importInstalled, installPackedPackage } from './support/install.mjs';
import { startMock } from './support/mock.mjs';

const API_KEY = 'mock-api-key';
const ORG = 'demo-org';

let mock;
let pkg;

before(async () => {
  pkg = await importInstalled(installPackedPackage().dir);
  await pkg.init();
  mock = await startMock();
});

after(async () => {
  await mock?.stop();
});

beforeEach(async () => {
  await mock.reset();
});

function client(options = {}) {
  return new pkg.AppliveryClient({ apiKey: API_KEY, baseUrl: mock.baseUrl, maxRetries: 0, ...options });
}

async function failure(promise) {
  const error = await promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error) => error,
  );
  assert.ok(error instanceof pkg.AppliveryError, String(error));
  return error;
}

async function requestCount() {
  const health = await fetch(`${mock.baseUrl}/__mock/health`).then((r) => r.json());
  return health.requests ?? health.requestCount;
}

test('refreshOemUserSecret rotates the secret; the old one is gone and never shown', async () => {
  const c = client();
  const created = await c.createOemUser(ORG, { email: 'r@example.com' });
  const old = created.oemSecret.expose();
  const refreshed = await c.refreshOemUserSecret(ORG, created.id);
  const fresh = refreshed.oemSecret.expose();
  assert.notEqual(fresh, old);
  const [stored] = await mock.oemSecrets();
  assert.equal(stored.oemSecret, fresh);
  assert.equal(JSON.stringify(refreshed).includes(fresh), false);

  // A create of another user, then a list: no secret in it.
  await c.createOemUser(ORG, { email: 's@example.com' });
  const listed = [];
  for await (const collaborator of c.listCollaborators(ORG)) listed.push(collaborator);
  assert.equal(listed.length, 2);
  assert.ok(listed.every((collaborator) => collaborator.oemSecret === undefined));
  const text = JSON.stringify(listed);
  assert.ok(!text.includes(fresh) && !text.includes(old));
});

test('refreshOemUserSecret errors are the documented kinds; a lost answer is retried', async () => {
  const c = client();
  const created = await c.createOemUser(ORG, { email: 'e@example.com' });
  assert.equal((await failure(c.refreshOemUserSecret(ORG, '000000000000000000000000'))).kind, 'not_found');
  assert.equal((await failure(c.refreshOemUserSecret('blocked-org', created.id))).kind, 'feature_blocked');
  const wrongKey = new pkg.AppliveryClient({ apiKey: 'nope', baseUrl: mock.baseUrl, maxRetries: 0 });
  assert.equal((await failure(wrongKey.refreshOemUserSecret(ORG, created.id))).kind, 'unauthorized');
  const invalid = await failure(c.refreshOemUserSecret('a/b', ''));
  assert.equal(invalid.kind, 'invalid_input');
  assert.deepEqual(invalid.fieldErrors.map((e) => e.field), ['organizationId', 'userId']);

  await mock.faults(['status=503', 'drop,after-create']);
  const retried = await client({ maxRetries: 2 }).refreshOemUserSecret(ORG, created.id);
  const [stored] = await mock.oemSecrets();
  assert.equal(retried.oemSecret.expose(), stored.oemSecret);
});

test('listCollaborators pages through 2,500 collaborators once each, in order', async () => {
  const c = client();
  const emails = [];
  for (let i = 0; i < 2500; i++) {
    const email = `p${String(i).padStart(5, '0')}@example.com`;
    emails.push(email);
    await c.createOemUser(ORG, { email, tags: [i % 2 ? 'odd' : 'even'] });
  }
  const seen = [];
  for await (const collaborator of c.listCollaborators(ORG, { pageSize: 100 })) {
    seen.push(collaborator.user.email);
  }
  assert.deepEqual(seen, emails);

  const first = await c.listCollaboratorsPage(ORG, 1, { pageSize: 100, tags: ['odd'] });
  assert.equal(first.totalDocs, 1250);
  assert.equal(first.items.length, 100);
  assert.equal(first.hasNextPage, true);
  const newest = await c.listCollaboratorsPage(ORG, 1, { pageSize: 1, sort: 'user.email:desc' });
  assert.equal(newest.items[0].user.email, 'p02499@example.com');
  const none = await c.listCollaboratorsPage(ORG, 1, { role: 'owner' });
  assert.deepEqual([none.totalDocs, none.items.length], [0, 0]);
});

test('listCollaborators checks its filters before sending, and reports errors', async () => {
  const c = client();
  const invalid = await failure(
    c.listCollaboratorsPage('a/b', 0, { sort: 'x:up', role: 'boss', pageSize: 'ten', tags: 'x' }),
  );
  assert.equal(invalid.kind, 'invalid_input');
  assert.deepEqual(invalid.fieldErrors.map((e) => e.field).sort(), [
    'organizationId', 'page', 'pageSize', 'role', 'sort', 'tags',
  ]);
  assert.equal((await mock.users()).length, 0);
  assert.equal((await failure(c.listCollaboratorsPage('unknown-org', 1))).kind, 'not_found');

  await mock.faults(['status=500']);
  const iterator = c.listCollaborators(ORG);
  assert.equal((await failure(iterator.next())).kind, 'server_error');
  await mock.faults(['status=503']);
  const page = await client({ maxRetries: 1 }).listCollaboratorsPage(ORG, 1);
  assert.deepEqual(page.items, []);
});

test('every operation of the spec is a method: groups and apps too', async () => {
  const c = client();
  await c.createOemUser(ORG, { email: 'g1@example.com', tags: ['beta', 'emea'] });
  await c.createOemUser(ORG, { email: 'g2@example.com', tags: ['emea'] });
  const groups = await c.listCollaboratorGroups(ORG);
  assert.deepEqual(groups.items.map((g) => g.value), ['beta', 'emea']);
  const apps = [];
  for await (const app of c.listCollaboratorApps(ORG, { pageSize: 5 })) apps.push(app);
  assert.equal(apps.length, 1);
  assert.equal(apps[0].application._id, 'string');
  const page = await c.listCollaboratorAppsPage(ORG, 1);
  assert.equal(page.hasNextPage, false);
  const invalid = await failure(c.listCollaboratorGroups('a/b'));
  assert.deepEqual([invalid.kind, invalid.fieldErrors[0].field], ['invalid_input', 'organizationId']);
  const badPage = await failure(c.listCollaboratorAppsPage(ORG, 0));
  assert.deepEqual(badPage.fieldErrors.map((e) => e.field), ['page']);
});
