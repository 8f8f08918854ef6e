//! Who may talk to the mock: it is a local tool, and `/__mock/*` hands out every OEM secret
//! without a key, so a page on some web site the developer visits must not reach it.
//!
//! - `Origin` (sent by browsers): loopback origins (`http(s)://localhost`, `127.0.0.0/8`,
//!   `[::1]`, any port) and those named by `--allow-origin` are served, with CORS headers naming
//!   them; any other origin (`null` included, unless named: sandboxed frames of any site send it)
//!   is refused with 403 before the request is served, so a "simple" cross-origin request that
//!   needs no preflight (`POST /__mock/reset`) does nothing either. No `Origin` (curl, Node,
//!   same-origin GETs): served, without CORS headers.
//! - `Host`: a page whose name was re-pointed at 127.0.0.1 (DNS rebinding) is same-origin with
//!   itself, but its requests still name it. Served only for `localhost`, loopback addresses, the
//!   bound address (any address when bound to an unspecified one: an address cannot be
//!   re-pointed) and names given with `--allow-host`; else 421. No `Host` (HTTP/1.0 tools;
//!   browsers always send it): served.

use std::io;
use std::net::IpAddr;
use std::sync::OnceLock;

use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;

use crate::config::MockConfig;
use crate::responses;

/// The origins and hosts a server accepts, checked when it starts.
pub(crate) struct Access {
    origins: Vec<String>,
    hosts: Vec<String>,
    bound: OnceLock<IpAddr>,
}

impl Access {
    /// Fails with [`io::ErrorKind::InvalidInput`] on an origin that is not `scheme://host[:port]`
    /// (http or https) or `null`, or an empty host.
    pub(crate) fn new(config: &MockConfig) -> io::Result<Access> {
        let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
        let mut origins = Vec::new();
        for origin in &config.allowed_origins {
            let normalized = normalize_origin(origin).ok_or_else(|| {
                invalid(format!(
                    "allowed origin `{origin}`: expected http(s)://host[:port] or null"
                ))
            })?;
            origins.push(normalized);
        }
        let mut hosts = Vec::new();
        for host in &config.allowed_hosts {
            let name = host.trim().trim_end_matches('.').to_ascii_lowercase();
            if name.is_empty() || name.contains(['/', ' ']) {
                return Err(invalid(format!("allowed host `{host}`: expected a name")));
            }
            hosts.push(
                name.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string(),
            );
        }
        Ok(Access {
            origins,
            hosts,
            bound: OnceLock::new(),
        })
    }

    /// The address the listener got (its `Host` is accepted).
    pub(crate) fn set_bound(&self, ip: IpAddr) {
        let _ = self.bound.set(ip);
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        let Some(origin) = normalize_origin(origin) else {
            return false;
        };
        is_loopback_origin(&origin) || self.origins.contains(&origin)
    }

    fn host_allowed(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || self.hosts.contains(&name) {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                ip.is_loopback()
                    || self
                        .bound
                        .get()
                        .is_some_and(|bound| *bound == ip || bound.is_unspecified())
            }
            Err(_) => false,
        }
    }
}

/// What [`screen`] decided about a request that may be served.
pub(crate) struct Allowed {
    /// The `Origin` to name in CORS headers, when the request carried an allowed one.
    pub(crate) origin: Option<HeaderValue>,
}

/// Refuses a request from a foreign origin (403) or for a foreign host (421), else says which
/// origin its CORS headers name.
pub(crate) fn screen<B>(request: &Request<B>, access: &Access) -> Result<Allowed, Refused> {
    let headers = request.headers();
    if let Some(host) = headers.get(header::HOST) {
        let allowed = host.to_str().is_ok_and(|host| access.host_allowed(host));
        if !allowed {
            return Err(Refused(
                StatusCode::MISDIRECTED_REQUEST,
                "this Host is not served by applivery-mock, a local tool: loopback names and \
                 addresses only; name others with --allow-host",
            ));
        }
    }
    let origin = match headers.get(header::ORIGIN) {
        None => None,
        Some(origin) if origin.to_str().is_ok_and(|o| access.origin_allowed(o)) => {
            Some(origin.clone())
        }
        Some(_) => {
            return Err(Refused(
                StatusCode::FORBIDDEN,
                "this Origin is not allowed by applivery-mock, a local tool: loopback pages \
                 only; name others with --allow-origin",
            ));
        }
    };
    Ok(Allowed { origin })
}

/// A request [`screen`] refused: its status and why.
pub(crate) struct Refused(StatusCode, &'static str);

impl Refused {
    /// In the error envelope (code = status, as for 405), so that an SDK reports an answer.
    pub(crate) fn response(&self) -> Response {
        responses::error(self.0, i64::from(self.0.as_u16()), self.1)
    }
}

/// `Scheme://Host:port/` -> `scheme://host:port` (default ports dropped), `null`; `None` when it
/// is neither an http(s) origin nor `null`.
fn normalize_origin(origin: &str) -> Option<String> {
    let origin = origin.trim().to_ascii_lowercase();
    if origin == "null" {
        return Some(origin);
    }
    let (scheme, rest) = origin.split_once("://")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if !matches!(scheme, "http" | "https") || rest.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    let (host, port) = split_host_port(rest)?;
    if host.is_empty() {
        return None;
    }
    let default_port = if scheme == "http" { "80" } else { "443" };
    Some(match port {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// A normalized origin on a loopback host.
fn is_loopback_origin(origin: &str) -> bool {
    let Some((_, rest)) = origin.split_once("://") else {
        return false;
    };
    split_host_port(rest).is_some_and(|(host, _)| {
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}

/// `host[:port]` or `[v6][:port]` -> (host with its brackets, port); `None` for a bad port.
fn split_host_port(text: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if text.starts_with('[') {
        let end = text.find(']')?;
        let (host, rest) = text.split_at(end + 1);
        match rest {
            "" => (host, None),
            _ => (host, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some((host, port))
}

/// The name or address a `Host` header names, without port or brackets.
fn host_name(host: &str) -> Option<&str> {
    let (name, _) = split_host_port(host.trim())?;
    let name = name.trim_start_matches('[').trim_end_matches(']');
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized() {
        for (given, normalized) in [
            ("HTTP://LocalHost:5173/", Some("http://localhost:5173")),
            ("https://a.example:443", Some("https://a.example")),
            ("http://a.example:80", Some("http://a.example")),
            ("http://[::1]:3000", Some("http://[::1]:3000")),
            ("null", Some("null")),
            ("a.example", None),
            ("ftp://a.example", None),
            ("https://a.example/x", None),
            ("https://user@a.example", None),
            ("https://a.example:", None),
            ("https://", None),
            ("*", None),
        ] {
            assert_eq!(normalize_origin(given).as_deref(), normalized, "{given}");
        }
    }

    #[test]
    fn loopback_origins() {
        for origin in ["http://localhost", "https://127.9.9.9:1", "http://[::1]"] {
            assert!(is_loopback_origin(origin), "{origin}");
        }
        for origin in [
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
            "http://[::2]",
            "null",
        ] {
            assert!(!is_loopback_origin(origin), "{origin}");
        }
    }

    #[test]
    fn hosts_when_bound_to_an_unspecified_address() {
        let access = Access::new(&MockConfig::default().allow_host("Mock.Test")).unwrap();
        assert!(!access.host_allowed("192.168.1.5:4010"));
        access.set_bound("0.0.0.0".parse().unwrap());
        for host in [
            "192.168.1.5:4010",
            "[fe80::1]:4010",
            "mock.test",
            "localhost.",
        ] {
            assert!(access.host_allowed(host), "{host}");
        }
        assert!(!access.host_allowed("evil.example:4010"));
        assert!(!access.host_allowed("localhost:x"));
    }
}
