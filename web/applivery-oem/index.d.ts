/**
 * A client for Applivery's OEM user provisioning API, one method per operation of the spec.
 * Validation, error kinds, retries and response decoding run in WebAssembly, from the same Rust
 * code as the `applivery` crate.
 *
 * The API key stays inside the wasm module: it is not a property of the client, so
 * `JSON.stringify(client)` and `console.log(client)` cannot show it.
 */
export declare class AppliveryClient {
  /**
   * @throws {AppliveryError} kind `config` for a missing key or a bad `baseUrl`, once {@link init}
   * has resolved; before that, the options are checked when it does and the first
   * `createOemUser` rejects with that error.
   */
  constructor(options: ClientOptions);
  // One method per operation of the spec: see `interface AppliveryClient` below (generated).

  /**
   * Creates one OEM user per input, several at a time: the outcome of every input, in input
   * order. Invalid inputs are reported (`invalid`) and never sent. The pace adapts to the
   * server's push-back (429, 503); retries are the run's, not each call's. Reads an input only
   * when a request may leave, so a generator or a file stream is never read far ahead.
   *
   * @throws {AppliveryError} kind `config` (from the first `next()`) for a bad option.
   */
  createOemUsers(
    organizationId: string,
    users: Iterable<NewOemUser> | AsyncIterable<NewOemUser>,
    options?: BulkOptions,
  ): BulkRun<NewOemUser>;

  /**
   * Gives each OEM user (by collaborator `id`) a new OEM secret, several at a time: the outcome
   * of every id, in input order (`refreshed` with the new secret as `oemSecret`). The old
   * secrets stop working.
   */
  refreshOemUserSecrets(
    organizationId: string,
    ids: Iterable<string> | AsyncIterable<string>,
    options?: BulkOptions,
  ): BulkRun<string>;
}

/** Options of {@link AppliveryClient.createOemUsers} and {@link AppliveryClient.refreshOemUserSecrets}. */
export interface BulkOptions {
  /** Most requests in flight at once, 1 to 1000 (default 8); lowered while the server pushes back. */
  concurrency?: number;
  /**
   * Stops the run when it aborts: nothing new leaves (the rest is `not_sent`), the requests in
   * flight finish. The iterator ends normally; it does not throw.
   */
  signal?: AbortSignal;
  /** Time allowed for each attempt, in milliseconds (default: the client's `timeoutMs`; 0: none). */
  timeoutMs?: number;
  /** Attempts per input, 1 to 100 (default 10, within 60 s from its first send). */
  maxAttempts?: number;
}

/**
 * What became of one input: `invalid` (not sent), `created`, `refreshed`, `already_registered`,
 * `already_registered_after_retry` (an earlier attempt may have created it: its secret is lost),
 * `failed`, `unknown` (sent, then abandoned by a second `stop()`), `not_sent` (the run stopped
 * first, or an error that concerns every input, such as a refused key, stopped it).
 */
export type BulkOutcomeName =
  | 'invalid'
  | 'created'
  | 'refreshed'
  | 'already_registered'
  | 'already_registered_after_retry'
  | 'failed'
  | 'unknown'
  | 'not_sent';

/** One input of a bulk run and its outcome. */
export interface BulkOutcome<I> {
  /** The input's position, from 0. */
  index: number;
  /** The input, as given. */
  input: I;
  outcome: BulkOutcomeName;
  /** `created` or `refreshed`: the collaborator. */
  collaborator?: Collaborator;
  /** `created` or `refreshed`: the new OEM secret (also `collaborator.oemSecret`). */
  oemSecret?: OemSecret;
  /** `invalid`, `failed` and `already_registered*`: why. */
  error?: AppliveryError;
}

/** The outcomes of a bulk run, in input order; nothing is sent until it is iterated. */
export interface BulkRun<I> extends AsyncGenerator<BulkOutcome<I>, void, undefined> {
  /**
   * The first call lets nothing new leave and lets the requests in flight finish; a second
   * abandons them (`unknown`). Leaving the loop early (`break`) abandons them too.
   */
  stop(): void;
  /**
   * The run's counters now (once it ended: at its end); `undefined` until the first `next()`
   * has started it.
   */
  progress(): BulkProgress | undefined;
}

/** A bulk run's counters (the Rust crate's `bulk::Progress`). */
export interface BulkProgress {
  /** Inputs taken from the input so far. */
  read: number;
  /** Requests sent, retries included. */
  sent: number;
  /** Requests in flight now. */
  inFlight: number;
  /** Attempts retried. */
  retries: number;
  /** Push-backs (429, 503) seen. */
  pushBacks: number;
  /** The concurrency limit now, after push-backs. */
  limit: number;
  /** The lowest concurrency limit reached. */
  lowestLimit: number;
  /** Outcomes decided so far, by kind. */
  created: number;
  refreshed: number;
  alreadyRegistered: number;
  invalid: number;
  failed: number;
  unknown: number;
  notSent: number;
  /**
   * Why the run stopped early: `"requested"` (`stop()` or the signal), `"fatal"` (an error that
   * concerns every input, such as a refused key: the input that got it carries it, the rest are
   * `not_sent`), or `null`.
   */
  stopped: 'requested' | 'fatal' | null;
}

/**
 * Compiles and instantiates the WebAssembly module (asynchronously); resolves once done, at once
 * after the first time. Optional before {@link AppliveryClient.createOemUser}, which awaits it;
 * required before {@link validateOemUser}, which is synchronous.
 */
export declare function init(): Promise<void>;

/**
 * Validates a user exactly as {@link AppliveryClient.createOemUser} does (the Rust rules), without
 * sending anything: every problem, in order, or an empty array when the user is valid. Useful to
 * check a whole import file before creating anyone. Synchronous: call `await init()` once first.
 *
 * @throws {Error} if {@link init} has not resolved yet.
 */
export declare function validateOemUser(user: NewOemUser): FieldError[];

/**
 * What each error kind means and what to do about it, for messages to a person: the same words
 * as the `applivery` CLI's hints (written once, in Rust: `applivery::ErrorKind`).
 */
export declare function errorGuide(): ErrorGuideEntry[];

/**
 * The properties of a {@link NewOemUser}, in the spec's order (generated from the OpenAPI spec
 * the package was built from): for building a form or reading a file's columns.
 *
 * @throws {Error} if {@link init} has not resolved yet.
 */
export declare function oemUserFields(): OemUserField[];

/**
 * Reads the header row of a CSV import file (its cells) by the `applivery` CLI's rule: which
 * column holds each {@link NewOemUser} property, the unknown columns, or why the header is
 * refused (no `email` column, a property named twice).
 */
export declare function readCsvHeader(cells: string[]): CsvHeader;

/**
 * The `applivery` CLI's CSV formula-injection rule, for a cell being written: one more leading
 * `'` when it starts with `=`, `+`, `-`, `@`, tab, carriage return or `'`, so that a spreadsheet
 * shows it as text instead of running it; otherwise the cell unchanged. Quote the result as CSV
 * requires.
 *
 * @throws {Error} if {@link init} has not resolved yet.
 */
export declare function neutralizeCsvCell(cell: string): string;

/**
 * The inverse of {@link neutralizeCsvCell}, for a cell being read (after unquoting): one leading
 * `'` removed when the next character is one of those. `restoreCsvCell(neutralizeCsvCell(x))`
 * is `x` for every string.
 *
 * @throws {Error} if {@link init} has not resolved yet.
 */
export declare function restoreCsvCell(cell: string): string;

/**
 * An OEM secret, kept inside the wasm module: `console.log` shows no secret, and
 * `JSON.stringify` and `String()` give `"[redacted]"`. Call `expose()` where you store it.
 */
export declare class OemSecret {
  private constructor();
  /** The secret itself. */
  expose(): string;
  /** `"[redacted]"`. */
  toJSON(): string;
  /** `"[redacted]"`. */
  toString(): string;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
}

/** Per-call options of every {@link AppliveryClient} call. */
export interface RequestOptions {
  /** Cancels the call, including retries and the wait between them. */
  signal?: AbortSignal;
}

/** Why a call failed; the fields are those of {@link AppliveryErrorFields}. */
export declare class AppliveryError extends Error {
  private constructor(fields: AppliveryErrorFields);
  readonly name: 'AppliveryError';
}
export interface AppliveryError extends Readonly<Omit<AppliveryErrorFields, 'message'>> {}
