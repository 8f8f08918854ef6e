// What each error kind means to an admin and what they can do about it. The kinds are the
// SDK's (the same names in Rust, JS and the CLI).

const MEANINGS = {
  invalid_input: ['Some fields are not valid', 'Correct the highlighted fields; nothing was sent.'],
  unauthorized: ['The API key was missing or not accepted', 'Check the API key: copy it again from the Applivery dashboard (Organization settings → API keys).'],
  feature_blocked: ['OEM users are blocked by the platform configuration', 'Ask Applivery support to enable OEM users for this organization.'],
  already_registered: ['This email is already registered in the organization', 'Nothing to do: the user exists. Use another email to create a different user.'],
  already_registered_after_retry: ['The user exists (probably created by this request)', 'An earlier attempt failed in transit and the retry found the email registered. Check the user in the dashboard; do not create it again.'],
  not_found: ['The organization was not found', 'Check the organization ID, and that the API key belongs to that organization.'],
  rate_limited: ['Too many requests', 'Wait a moment and try again.'],
  server_error: ['Applivery had a server error', 'Try again in a few minutes. If it persists, check Applivery status.'],
  timeout: ['The request timed out', 'Check your connection and try again. The user may have been created: a retry will tell (already registered).'],
  network: ['The API could not be reached', 'Check the base URL and your network connection.'],
  aborted: ['The request was cancelled', 'Nothing more to do; start again when ready.'],
  invalid_response: ['The server answered with something unexpected', 'Check the base URL points at the Applivery API, then try again.'],
  api_error: ['The API refused the request', 'See the message and code above; contact Applivery support if it is unclear.'],
  config: ['The client settings are not valid', 'Check the base URL (https, or http on localhost) and the API key.'],
};

/** `{ title, action }` for an AppliveryError (or any Error). */
export function explain(error) {
  const [title, action] = MEANINGS[error?.kind] ?? ['Something went wrong', 'Try again; if it persists, report the message below.'];
  return { title, action };
}
