// What each error kind means to an admin and what they can do about it: the package's
// errorGuide(), the words the CLI's hints and the README use (written once, in Rust). Only
// `aborted`, which the page itself raises when a run is stopped, is the page's own.
import { errorGuide } from '../pkg/index.js';

// Built on first use: the package's synchronous exports need its `init()`, which the page awaits.
let meanings;

/** `{ title, action }` for an AppliveryError (or any Error). */
export function explain(error) {
  meanings ??= {
    ...Object.fromEntries(errorGuide().map(({ kind, meaning, remedy }) => [kind, [meaning, remedy]])),
    aborted: ['The request was cancelled', 'Nothing more to do; start again when ready.'],
  };
  const [title, action] = meanings[error?.kind] ?? ['Something went wrong', 'Try again; if it persists, report the message below.'];
  return { title, action };
}
