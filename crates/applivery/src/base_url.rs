//! The base URL rule: HTTPS, or plain HTTP only to a loopback address.
//!
//! The rule itself ([`check_parsed_base_url`]) works on an already parsed URL, so that the wasm
//! package can use the host's WHATWG `URL` parser instead of compiling the `url` crate;
//! [`validate_base_url`] (with the `client` feature) parses with the `url` crate first.

use crate::error::Error;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.applivery.io";

/// The parts of a parsed base URL that [`check_parsed_base_url`] needs.
#[derive(Clone, Copy, Debug)]
pub struct ParsedUrl<'a> {
    /// The whole normalised URL, as the parser serialises it.
    pub href: &'a str,
    /// The scheme without `:` (`https`).
    pub scheme: &'a str,
    /// The host name or address (`[::1]` or `::1` for IPv6), if any.
    pub host: Option<&'a str>,
    /// Whether a user name or password is present.
    pub has_credentials: bool,
    /// Whether a query or fragment is present.
    pub has_query_or_fragment: bool,
}

/// Checks a parsed base URL and returns it without a trailing `/`.
///
/// It must be `https://`, or `http://` to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`)
/// for local mocks; no credentials, query or fragment. A path prefix (a proxy) is allowed.
pub fn check_parsed_base_url(url: &ParsedUrl<'_>) -> Result<String, Error> {
    let host = url
        .host
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Error::config("base URL has no host"))?;
    match url.scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(Error::config(
                "base URL must use https (plain http is only allowed to a loopback address)",
            ));
        }
        other => {
            // A parsed scheme is `[a-z0-9+.-]+`: nothing to escape.
            // Pushed, not `concat()`: that links a generic join into the npm package's wasm.
            let mut message = String::from("base URL scheme '");
            message.push_str(other);
            message.push_str("' is not http(s)");
            return Err(Error::config(message));
        }
    }
    if url.has_credentials {
        return Err(Error::config("base URL must not contain credentials"));
    }
    if url.has_query_or_fragment {
        return Err(Error::config("base URL must not have a query or fragment"));
    }
    Ok(url.href.trim_end_matches('/').to_owned())
}

/// Whether a parsed host is `localhost`, in `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(host: &str) -> bool {
    // The npm package's wasm compares text: `std::net`'s address parser costs it 3.6 KB.
    #[cfg(target_arch = "wasm32")]
    return loopback_by_text(host);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        bare.eq_ignore_ascii_case("localhost")
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// [`is_loopback`] by text. URL parsers write IP addresses in one canonical form (`127.1` and
/// `0x7f.1` become `127.0.0.1`, `[0:0::1]` becomes `[::1]`), so comparing text is exact for a
/// parsed host.
#[cfg(any(test, target_arch = "wasm32"))]
fn loopback_by_text(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") || bare == "::1" {
        return true;
    }
    let octets: Vec<&str> = bare.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|octet| octet.bytes().all(|b| b.is_ascii_digit()) && octet.parse::<u8>().is_ok())
}

/// Parses and checks a base URL and returns it normalised (no trailing `/`); see
/// [`check_parsed_base_url`] for the rule.
///
/// ```
/// assert_eq!(applivery::validate_base_url("http://127.0.0.1:4010/").unwrap(), "http://127.0.0.1:4010");
/// assert!(applivery::validate_base_url("http://api.applivery.io").is_err());
/// ```
#[cfg(feature = "client")]
pub fn validate_base_url(base_url: &str) -> Result<String, Error> {
    let url = url::Url::parse(base_url.trim())
        .map_err(|e| Error::config(format!("base URL is not a valid URL: {e}")))?;
    check_parsed_base_url(&ParsedUrl {
        href: url.as_str(),
        scheme: url.scheme(),
        host: url.host_str(),
        has_credentials: !url.username().is_empty() || url.password().is_some(),
        has_query_or_fragment: url.query().is_some() || url.fragment().is_some(),
    })
}

/// Whether requests to `base_url` (already validated) must bypass any proxy: a loopback base
/// URL does. `http_proxy` and friends in the environment would otherwise receive a local mock's
/// (or tunnel's) requests, bearer key included, in clear text. HTTPS base URLs keep honouring
/// the standard proxy variables.
#[cfg(feature = "client")]
pub(crate) fn bypasses_proxies(base_url: &str) -> bool {
    url::Url::parse(base_url)
        .ok()
        .and_then(|url| url.host_str().map(is_loopback))
        .unwrap_or(false)
}

#[cfg(all(test, feature = "client"))]
mod tests {

    /// The wasm build's text comparison agrees with `std::net` on canonical hosts.
    #[test]
    fn loopback_by_text_is_loopback_by_address() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "127.255.255.255",
            "::1",
            "128.0.0.1",
            "10.0.0.1",
            "::2",
            "fe80::1",
            "api.applivery.io",
            "0.0.0.0",
            "::",
        ] {
            let by_address = host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
            assert_eq!(loopback_by_text(host), by_address, "{host}");
            assert_eq!(is_loopback(host), by_address, "{host}");
        }
        assert!(is_loopback("[::1]") && is_loopback("LocalHost"));
        assert!(loopback_by_text("[::1]") && loopback_by_text("LocalHost"));
    }

    use super::*;

    #[test]
    fn only_loopback_base_urls_bypass_proxies() {
        for loopback in [
            "http://127.0.0.1:4010",
            "http://localhost:1",
            "http://[::1]:80/p",
        ] {
            assert!(bypasses_proxies(loopback), "{loopback}");
        }
        for remote in [DEFAULT_BASE_URL, "https://proxy.example.com/applivery"] {
            assert!(!bypasses_proxies(remote), "{remote}");
        }
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://api.applivery.io",
            "https://proxy.example.com/applivery/",
            "http://localhost:4010",
            "http://LOCALHOST:4010",
            "http://127.0.0.1:4010",
            "http://127.8.9.10",
            "http://127.1:4010",
            "http://0x7f.0.0.1",
            "http://[::1]:8080",
            "http://[0:0:0:0:0:0:0:1]:8080",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.applivery.io",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io",
            "http://[::2]",
            "http://[::ffff:127.0.0.1]",
            "http://128.0.0.1",
            "http://127.0.0.256",
            "http://localhost6",
            "ftp://localhost",
            "https://user:pw@api.applivery.io",
            "https://api.applivery.io/?x=1",
            "https://api.applivery.io/#x",
            "not a url",
            "",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            validate_base_url("https://proxy.example.com/applivery/").unwrap(),
            "https://proxy.example.com/applivery"
        );
    }
}

#[cfg(test)]
mod parsed_tests {
    use super::*;

    fn parsed<'a>(href: &'a str, scheme: &'a str, host: &'a str) -> ParsedUrl<'a> {
        ParsedUrl {
            href,
            scheme,
            host: Some(host),
            has_credentials: false,
            has_query_or_fragment: false,
        }
    }

    #[test]
    fn the_rule_on_parsed_parts() {
        let ok = check_parsed_base_url(&parsed("http://[::1]:4010/", "http", "[::1]"));
        assert_eq!(ok.unwrap(), "http://[::1]:4010");
        assert!(check_parsed_base_url(&parsed("http://10.0.0.1/", "http", "10.0.0.1")).is_err());
        assert!(check_parsed_base_url(&parsed("https://a.io/", "https", "a.io")).is_ok());
        let mut with_query = parsed("https://a.io/?q", "https", "a.io");
        with_query.has_query_or_fragment = true;
        assert!(check_parsed_base_url(&with_query).is_err());
        let mut no_host = parsed("https:///", "https", "");
        no_host.host = None;
        assert!(check_parsed_base_url(&no_host).is_err());
    }
}
