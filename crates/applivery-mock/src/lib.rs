#![doc = include_str!("../README.md")]
//!
//! # Behaviour of `POST /v1/organizations/{organizationId}/oem/users`
//!
//! Checked in this order; every answer is JSON in the documented envelope:
//!
//! | request | answer |
//! |---|---|
//! | no `Authorization`, or not `Bearer <token>` | 401, code 4002 `No auth token` |
//! | a token not in `api_keys` | 401, code 4004 `Invalid Token` |
//! | an organization id that breaks the spec's pattern (`_`, `/`, fewer than 3 characters) | 400, code 6001 `Database Validation Error` |
//! | an organization in `blocked_orgs` | 400, code 5187 `Feature block by platform configuration` |
//! | an organization not in `orgs` | 404, code 3001 `Entity not found` |
//! | body not JSON, no `email`, a field of the wrong type, or a rule of the spec broken (the email pattern, 256 / 128 characters) | 400, code 6001 `Database Validation Error`; the `x-mock-detail` header names the field (`email must contain '@'`) |
//! | an email already created in that organization (case-insensitive) | 403, code 4009 |
//! | otherwise | 200 `{"status":true,"data":{"collaborator":{...},"oemSecret":"..."}}` |
//!
//! The rules are the spec's, checked by the same generated code the SDK runs
//! (`applivery_api::validation`): nothing else is refused (no limits on tags, blank names pass).
//!
//! Assumptions, where Applivery's documentation is silent: 6001 is the code for invalid input
//! (documented only on another endpoint of the same API); emails are unique per organization,
//! compared case-insensitively; a created collaborator's role is `unassigned`.
//!
//! The collaborator has a fresh 24-hex `id`, `organization` the organization's 24-hex id (the
//! path's id itself when it is one, else one derived from the slug, the same in every run),
//! `role` `"unassigned"` (a documented collaborator role), the input's `tags`, a `user` echoing
//! the input (`email`, `firstName`, `lastName`, a fresh 24-hex `id`, `role` `"user"` (a
//! documented user role), `ssoUser` false), `detected` `{}`, `createdBy` the 24-hex id of the
//! service account behind the key (derived from it; the key is never shown), and ISO-8601 UTC
//! `createdAt`/`updatedAt`. Beside the collaborator, `data.oemSecret` is a fresh random secret
//! of 48 characters. Parallel creates of one email yield exactly one 200: the check and the
//! insert happen under one lock.
//!
//! A property of the spec's `Collaborator` the mock has no value of its own for is answered with
//! the spec's `example`, if it gives one.
//!
//! # Refresh OEM secret and list collaborators
//!
//! `PUT .../oem/users/{userId}/secret` checks the token and organization as above (a blocked
//! organization is refused: it is an OEM endpoint), finds the user by its collaborator `id` or
//! its `user.id` (the documentation does not say which; 404 3001 otherwise), stores a fresh
//! secret (the old one is gone) and answers as a create does.
//!
//! `GET .../collaborators/` lists what was created in the organization: `role`, `email` (a
//! substring, ignoring case), `tags` (all of them), `sort` (`field[:asc|:desc]`, a dotted path
//! into the collaborator, compared as text; default creation order), `page` (from 1) and `limit`
//! (default 10, clamped to 100), answering `{status, data: {items, totalDocs, limit, page,
//! totalPages, hasPrevPage, hasNextPage, prevPage, nextPage}}`. A parameter that breaks the
//! spec's rules is a 400 6001 like a bad body. Faults and the rate limit apply to both as to
//! create. Where the documentation is silent these are assumptions, as the spec's
//! `x-assumption`s say.
//!
//! # Test routes
//!
//! - `GET /__mock/users` (optional `?organization=ID`): JSON array of created collaborators,
//!   without secrets ([`MockServer::users`] too).
//! - `GET /__mock/requests` (optional `?organization=ID`): JSON array of the created users'
//!   request bodies as received (every property the spec names, echoed in the answer or not).
//! - `GET /__mock/oem-secrets` (optional `?organization=ID`): `[{organization, email,
//!   collaboratorId, oemSecret, refreshCount}]`, the one place the mock shows secrets
//!   ([`MockServer::oem_secret`] too), so tests can check what a client received;
//!   `refreshCount` is how many times the user's secret was refreshed (0 after the create).
//! - `POST /__mock/reset`: forget users, queued faults, the request count and the rate window.
//! - `POST /__mock/faults` with a JSON array of fault specs: queue them (FIFO), each consumed by
//!   the next API request; with `?email=ADDR`, by the next request creating that email.
//! - `GET /__mock/health`: `{"status":true}`.
//!
//! Any other route answers 404 (3001) in the envelope.
//!
//! # Who may call it
//!
//! The mock is a local tool, and `/__mock/*` (every OEM secret included) needs no key, so:
//!
//! - **Origins.** A browser page on a loopback origin (`http(s)://localhost`, `127.0.0.0/8`,
//!   `[::1]`, any port) or one named with `--allow-origin ORIGIN`
//!   ([`MockConfig::allow_origin`]) gets CORS headers naming its origin (never `*`, with
//!   `Vary: Origin`), preflights included (`Authorization`, `Content-Type`, `Accept`,
//!   `x-mock-fault`; `Access-Control-Expose-Headers: Retry-After, x-mock-detail`; Chrome's
//!   private-network preflight answered yes). A request with any other `Origin` is refused with 403
//!   and no CORS headers before it is served: a "simple" request needing no preflight
//!   (`POST /__mock/reset`) does nothing either. `null` (`file://` pages, but also sandboxed
//!   frames any web site can make) is not allowed unless named. Requests without `Origin` (curl,
//!   Node, the SDK) are served as before, without CORS headers.
//! - **Host.** Against DNS rebinding (a site whose name is re-pointed at 127.0.0.1 is
//!   same-origin with itself), the `Host` header must name `localhost`, a loopback address, the
//!   address the mock is bound to (any address when bound to `0.0.0.0` or `::`: an address
//!   cannot be re-pointed) or a host named with `--allow-host HOST` ([`MockConfig::allow_host`]);
//!   else 421. A request without `Host` (HTTP/1.0 tools) is served.
//! - Bound to a non-loopback address, the binary warns on stderr: other machines can reach it.
//!
//! # Faults
//!
//! A fault spec is comma-separated directives, each at most once, with at most one response
//! shape (`html`, `malformed-json`, `truncated-json`, `oversized`, `oversized-chunked`, `drop`,
//! `hang`). It comes from
//! the `x-mock-fault` request header, a queue for one email ([`MockServer::fault_for_email`]:
//! tests sharing a server take only their own faults), the shared queue
//! ([`MockServer::push_faults`], `POST /__mock/faults`), or periodically
//! ([`MockConfig::periodic_faults`], `--fault-every`). When several apply to one request they
//! are combined directive by directive, in that order of precedence.
//!
//! | directive | effect |
//! |---|---|
//! | `latency=MS` | answer after MS milliseconds (combinable with the others) |
//! | `status=CODE` | answer CODE (400..=599) with the JSON error envelope (code = CODE unless `code=`); 429 and 503 add `Retry-After: 1` |
//! | `code=N` | the Applivery error code of a `status=` answer |
//! | `retry-after=S` | set `Retry-After: S` |
//! | `html` | answer 502 (or `status=`) with an HTML error page (`text/html`) |
//! | `malformed-json` | answer 200 (or `status=`) with a body that is not JSON |
//! | `truncated-json` | answer 200 with a Content-Length, send half the JSON, close the connection |
//! | `oversized` | answer 200 with an 8 MiB JSON body (Content-Length set) |
//! | `oversized-chunked` | the same body in chunks, without Content-Length |
//! | `drop` | close the connection without any response |
//! | `hang` | never answer (until the client gives up or the server shuts down) |
//! | `after-create` | first handle the request normally (creating the user if it is valid), then apply the fault: an *ambiguous* failure. Without it, a fault happens before anything is created. |
//!
//! `malformed-json`, `truncated-json`, `oversized` and `oversized-chunked` answer 200 only after
//! handling the request (the user is created, as by a real server that garbles its success
//! answer); with `status=` they replace the answer before anything is created.
//!
//! An invalid `x-mock-fault` header answers 400 (code 4000) naming the directive.
//!
//! The server-wide [`MockConfig::latency`] delays every API request, and
//! [`MockConfig::rate_limit`] answers 429 with `Retry-After: 1` (code 429) beyond N API requests
//! in a one-second window; a rate-limited request consumes no queued fault.
//!
//! # The binary
//!
//! `applivery-mock` (also `applivery mock` in the CLI) serves until Ctrl-C or SIGTERM and prints
//! `applivery-mock listening on http://ADDR` on stdout once bound. Flags, all optional:
//!
//! | flag | default | meaning |
//! |---|---|---|
//! | `--addr ADDR` | `127.0.0.1:4010` | where to listen (port 0: any free port) |
//! | `--api-key KEY` (repeatable) | `mock-api-key` | accepted bearer tokens |
//! | `--org ORG` (repeatable) | `demo-org` | existing organizations |
//! | `--blocked-org ORG` (repeatable) | `blocked-org` | organizations answering 5187 |
//! | `--latency-ms N` | none | delay every API request |
//! | `--rate-limit N` | none | API requests per second, 429 beyond |
//! | `--fault-every N:SPEC` (repeatable) | none | every N-th API request gets fault SPEC |
//! | `--allow-origin ORIGIN` (repeatable) | loopback origins only | also allow browser pages on ORIGIN (`https://admin.example.com`, `null`) |
//! | `--allow-host HOST` (repeatable) | loopback names and addresses, the bound address | also accept requests whose `Host` names HOST |

#![deny(missing_docs)]

mod access;
mod admin;
// The server parts (sockets, signals, the clap CLI) are native only; the rest also builds for
// wasm32-unknown-unknown, over `platform`, for the npm package's `applivery-oem/mock`.
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod cli;
mod config;
mod cors;
mod endpoint;
pub mod errors;
mod fault;
mod groups;
mod ids;
#[doc(hidden)]
pub mod in_process;
mod list_collaborators;
#[cfg(not(target_arch = "wasm32"))]
mod mock_server;
mod platform;
mod rate_limit;
mod refresh_secret;
mod responses;
mod router;
#[cfg(not(target_arch = "wasm32"))]
mod server;
mod service;
mod state;
mod store;
mod timestamp;
mod validation;

pub use config::{DEFAULT_API_KEY, DEFAULT_BLOCKED_ORG, DEFAULT_ORG, MockConfig};
pub use endpoint::FAULT_HEADER;
#[cfg(not(target_arch = "wasm32"))]
pub use mock_server::MockServer;

/// Checks a fault spec without a server, e.g. to validate a flag: `Err` names the bad directive.
pub fn validate_fault_spec(spec: &str) -> Result<(), String> {
    fault::Fault::parse(spec)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
