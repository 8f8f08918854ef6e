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
    let host = url
        .host()
        .ok_or_else(|| Error::config("base URL has no host"))?;
    let loopback = match host {
        url::Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::config(
                "base URL must use https (plain http is only allowed to a loopback address)",
            ));
        }
        other => {
            return Err(Error::config(format!(
                "base URL scheme {other:?} is not http(s)"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("base URL must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("base URL must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
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
