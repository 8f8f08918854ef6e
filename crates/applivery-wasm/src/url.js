// The host's URL parser, read in one call: [href, protocol, hostname, username + password,
// search + hash]. One import instead of web-sys's `Url` and a getter each (less glue in the
// package); the base URL rule itself is the facade's (`check_parsed_base_url`).
export function urlParts(text) {
  const url = new URL(text);
  return [url.href, url.protocol, url.hostname, url.username + url.password, url.search + url.hash];
}
