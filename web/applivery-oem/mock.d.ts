// applivery-oem/mock: the Rust mock of Applivery's API compiled to WebAssembly (ESM only).
import type { Collaborator, NewOemUser } from './index.js';

/** The `applivery-mock` binary's options; every one has its default. */
export interface MockOptions {
  /** Bearer tokens accepted (default `['mock-api-key']`); any other answers 401 code 4004. */
  apiKeys?: string[];
  /** Organizations that exist (default `['demo-org']`); any other answers 404 code 3001. */
  organizations?: string[];
  /** Organizations answering 400 code 5187, feature blocked (default `['blocked-org']`). */
  blockedOrganizations?: string[];
  /** Delay every API request by this many milliseconds. */
  latencyMs?: number;
  /** API requests per second (a one-second window); beyond it 429 with `Retry-After: 1`. */
  rateLimit?: number;
  /** `[n, spec]`: every n-th API request gets the fault `spec`. */
  faultEvery?: [number, string][];
}

/** What `oemSecrets()` (and `GET /__mock/oem-secrets`) tells a test about one created user. */
export interface StoredOemSecret {
  organization: string;
  email: string;
  collaboratorId: string;
  oemSecret: string;
  /** How many times the secret was refreshed since the create. */
  refreshCount: number;
}

/**
 * A mock: call it (or `mock.fetch`) as `fetch`, and read or steer it with the test controls.
 * Requests are answered from in memory: any base URL works.
 */
export interface MockFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The mock as a `fetch` function: pass it as the client's `fetch` option or call it from msw. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The created collaborators in creation order, without secrets. */
  users(organizationId?: string): Collaborator[];
  /** The created users' request bodies as received. */
  requests(organizationId?: string): NewOemUser[];
  /** Every OEM secret the mock gave out, with how many times each was refreshed. */
  oemSecrets(organizationId?: string): StoredOemSecret[];
  /**
   * The OEM secret of the user with this email (case-insensitive), if it was created. The
   * organization may be left out when the mock has only one.
   */
  oemSecret(email: string, organizationId?: string): string | undefined;
  /**
   * Queues faults (`'status=503'`, `'drop'`, `'hang'`, `'truncated-json'`, `'latency=50'`, ...),
   * each for the next request creating `email`. Throws on an invalid spec, queuing none.
   */
  faultForEmail(email: string, specs: string | string[]): void;
  /** Queues faults, each for the next API request. */
  pushFaults(specs: string | string[]): void;
  /** API requests received since the start or the last reset. */
  requestCount(): number;
  /** Forgets users, queued faults, the request count and the rate window. */
  reset(): void;
}

/** A new mock with its own state, answering as the Rust `applivery-mock` does. */
export declare function createMockFetch(options?: MockOptions): MockFetch;
