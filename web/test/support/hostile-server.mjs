// The JS twin of crates/applivery-api/tests/support/hostile_server.rs: a local HTTP server
// answering every request with one answer of the same fixture file (hostile_answers.json:
// undecodable 2xx bodies holding an OEM secret, control characters, formula cells).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../crates/applivery-api/tests/support/hostile_answers.json', import.meta.url),
    'utf8',
  ),
);

/** The OEM secret the undecodable answers hold: it must appear in no error. */
export const HOSTILE_SECRET = fixture.secret;

/** Starts a server answering `name`; `{ baseUrl, requests(), stop() }`. */
export async function startHostileServer(name) {
  const answer = fixture.answers[name];
  if (!answer) throw new Error(`no hostile answer named ${name}`);
  const body = answer.raw ?? JSON.stringify(answer.body);
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response
        .writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' })
        .end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    requests: () => requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
