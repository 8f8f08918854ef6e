//! The base URL rule: HTTPS, or plain HTTP only to a loopback address.

use crate::error::Error;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.applivery.io";

/// Checks a base URL and returns it normalised (no trailing `/`).
///
/// It must be `https://`, or `http://` to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`)
/// for local mocks; no credentials, query or fragment. A path prefix (a proxy) is allowed.
///
/// ```
/// assert_eq!(applivery::validate_base_url("http://127.0.0.1:4010/").unwrap(), "http://127.0.0.1:4010");
/// assert!(applivery::validate_base_url("http://api.applivery.io").is_err());
/// ```
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

/// A base URL already parsed by a WHATWG URL parser: the `url` crate natively, the host's
/// `URL` in the wasm package (which so avoids compiling `url` and its IDNA tables, about 80 KB
/// gzip of wasm). Both follow the same standard, so both give the same parts.
#[derive(Clone, Copy, Debug)]
pub struct ParsedUrl<'a> {
    /// The serialized URL (`href`).
    pub href: &'a str,
    /// The scheme, without `:` (`https`).
    pub scheme: &'a str,
    /// The serialized host: a domain, an IPv4 address, or an IPv6 address in brackets.
    pub host: Option<&'a str>,
    /// Whether it has a user name or a password.
    pub has_credentials: bool,
    /// Whether it has a query or a fragment.
    pub has_query_or_fragment: bool,
}

/// The base URL rule of [`validate_base_url`] applied to an already parsed URL; returns the
/// URL normalised (no trailing `/`).
pub fn check_parsed_base_url(url: &ParsedUrl<'_>) -> Result<String, Error> {
    let host = url
        .host
        .filter(|host| !host.is_empty())
        .ok_or_else(|| Error::config("base URL has no host"))?;
    match url.scheme {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => {
            return Err(Error::config(
                "base URL must use https (plain http is only allowed to a loopback address)",
            ));
        }
        _ => return Err(Error::config("base URL scheme is not http(s)")),
    }
    if url.has_credentials {
        return Err(Error::config("base URL must not contain credentials"));
    }
    if url.has_query_or_fragment {
        return Err(Error::config("base URL must not have a query or fragment"));
    }
    Ok(url.href.trim_end_matches('/').to_owned())
}

/// `localhost`, `127.0.0.0/8` or `[::1]`, as a WHATWG parser serializes hosts.
fn is_loopback_host(host: &str) -> bool {
    if let Some(ipv6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return ipv6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    }
    match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://api.applivery.io",
            "https://proxy.example.com/applivery/",
            "http://localhost:4010",
            "http://127.0.0.1:4010",
            "http://127.8.9.10",
            "http://[::1]:8080",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.applivery.io",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://localhost",
            "https://user:pw@api.applivery.io",
            "https://api.applivery.io/?x=1",
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
