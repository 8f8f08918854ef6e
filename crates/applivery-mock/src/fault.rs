//! The fault vocabulary: `x-mock-fault` header values, queued faults and periodic faults.

use std::fmt;
use std::time::Duration;

/// How a faulty response is shaped; at most one per fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultKind {
    /// 502 (or `status`) with an HTML error page.
    Html,
    /// 200 (or `status`) whose body is not JSON.
    MalformedJson,
    /// 200 (or `status`) whose JSON body stops in the middle, then the connection closes.
    TruncatedJson,
    /// 200 (or `status`) with an 8 MiB JSON body and its Content-Length.
    Oversized,
    /// The same body streamed in chunks, without a Content-Length: only reading tells its size.
    OversizedChunked,
    /// The connection is closed without any response.
    Drop,
    /// No answer until the client gives up (or the server shuts down).
    Hang,
}

/// One parsed fault spec: comma-separated directives, each at most once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) kind: Option<FaultKind>,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<i64>,
    pub(crate) retry_after: Option<u64>,
    pub(crate) latency: Option<Duration>,
    pub(crate) after_create: bool,
}

/// Why a fault spec was refused; the message quotes the offending directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FaultSpecError(String);

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultSpecError {}

impl Fault {
    /// Parses `spec`, e.g. `status=503,retry-after=2` or `drop,after-create`. Empty means no fault.
    pub(crate) fn parse(spec: &str) -> Result<Fault, FaultSpecError> {
        let mut fault = Fault::default();
        for directive in spec.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let (name, value) = match directive.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (directive, None),
            };
            let error = |why: &str| FaultSpecError(format!("fault directive `{directive}`: {why}"));
            let number = |value: Option<&str>| -> Result<u64, FaultSpecError> {
                value
                    .ok_or_else(|| error("needs a value"))?
                    .parse()
                    .map_err(|_| error("the value must be a non-negative integer"))
            };
            let flag = |kind: FaultKind| match value {
                None => Ok(kind),
                Some(_) => Err(error("takes no value")),
            };
            match name {
                "latency" => set(
                    &mut fault.latency,
                    Duration::from_millis(number(value)?),
                    &error,
                )?,
                "status" => {
                    let status = number(value)?;
                    if !(400..=599).contains(&status) {
                        return Err(error("status must be between 400 and 599"));
                    }
                    set(&mut fault.status, status as u16, &error)?;
                }
                "code" => {
                    let code = value
                        .ok_or_else(|| error("needs a value"))?
                        .parse()
                        .map_err(|_| error("the value must be an integer"))?;
                    set(&mut fault.code, code, &error)?;
                }
                "retry-after" => set(&mut fault.retry_after, number(value)?, &error)?,
                "after-create" => {
                    if value.is_some() {
                        return Err(error("takes no value"));
                    }
                    fault.after_create = true;
                }
                "html" => set(&mut fault.kind, flag(FaultKind::Html)?, &error)?,
                "malformed-json" => set(&mut fault.kind, flag(FaultKind::MalformedJson)?, &error)?,
                "truncated-json" => set(&mut fault.kind, flag(FaultKind::TruncatedJson)?, &error)?,
                "oversized" => set(&mut fault.kind, flag(FaultKind::Oversized)?, &error)?,
                "oversized-chunked" => {
                    set(&mut fault.kind, flag(FaultKind::OversizedChunked)?, &error)?
                }
                "drop" => set(&mut fault.kind, flag(FaultKind::Drop)?, &error)?,
                "hang" => set(&mut fault.kind, flag(FaultKind::Hang)?, &error)?,
                _ => {
                    return Err(error(
                        "unknown; use latency=MS, status=CODE, code=N, retry-after=S, html, \
                         malformed-json, truncated-json, oversized, oversized-chunked, drop, hang, \
                         after-create",
                    ));
                }
            }
        }
        Ok(fault)
    }

    /// Whether the request is handled (the user created) before the fault applies: with
    /// `after-create`, and for a garbled success answer (`malformed-json`, `truncated-json`,
    /// `oversized`, `oversized-chunked` without `status=`), since a real server only sends a
    /// 200 after doing the work.
    pub(crate) fn happens_after_create(&self) -> bool {
        let garbled_success = self.status.is_none()
            && matches!(
                self.kind,
                Some(
                    FaultKind::MalformedJson
                        | FaultKind::TruncatedJson
                        | FaultKind::Oversized
                        | FaultKind::OversizedChunked
                )
            );
        self.after_create || garbled_success
    }

    /// True when the fault replaces the normal answer (as opposed to only delaying it).
    pub(crate) fn replaces_response(&self) -> bool {
        self.kind.is_some() || self.status.is_some()
    }

    /// Combines two faults directive by directive; `self` wins where both set one.
    pub(crate) fn or(self, other: Fault) -> Fault {
        Fault {
            kind: self.kind.or(other.kind),
            status: self.status.or(other.status),
            code: self.code.or(other.code),
            retry_after: self.retry_after.or(other.retry_after),
            latency: self.latency.or(other.latency),
            after_create: self.after_create || other.after_create,
        }
    }
}

/// Sets a directive once: repeating one (or giving two response shapes) is a mistake in the spec.
fn set<T>(
    slot: &mut Option<T>,
    value: T,
    error: &dyn Fn(&str) -> FaultSpecError,
) -> Result<(), FaultSpecError> {
    if slot.is_some() {
        return Err(error("conflicts with an earlier directive"));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_combinations() {
        let fault = Fault::parse("status=503, retry-after=7,latency=20,after-create").unwrap();
        assert_eq!(fault.status, Some(503));
        assert_eq!(fault.retry_after, Some(7));
        assert_eq!(fault.latency, Some(Duration::from_millis(20)));
        assert!(fault.after_create);
        assert_eq!(fault.kind, None);
        assert_eq!(Fault::parse("drop").unwrap().kind, Some(FaultKind::Drop));
        assert_eq!(Fault::parse("").unwrap(), Fault::default());
    }

    #[test]
    fn refuses_mistakes() {
        for bad in [
            "explode",
            "status=200",
            "status=abc",
            "latency",
            "drop=1",
            "drop,hang",
            "status=500,status=502",
            "code=x",
        ] {
            assert!(Fault::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn combining_prefers_the_first() {
        let header = Fault::parse("status=500").unwrap();
        let queued = Fault::parse("status=503,latency=5").unwrap();
        let combined = header.or(queued);
        assert_eq!(combined.status, Some(500));
        assert_eq!(combined.latency, Some(Duration::from_millis(5)));
    }

    #[test]
    fn a_garbled_success_answer_comes_after_the_create() {
        let after = |spec: &str| Fault::parse(spec).unwrap().happens_after_create();
        for spec in [
            "malformed-json",
            "truncated-json",
            "oversized",
            "oversized-chunked",
        ] {
            assert!(after(spec), "{spec}");
            assert!(!after(&format!("{spec},status=500")), "{spec}");
        }
        assert!(!after("html") && !after("drop") && !after("status=503"));
        assert!(after("drop,after-create"));
    }
}
