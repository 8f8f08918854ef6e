//! What all connections of one mock server share: its configuration, users and fault queue.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::access::Access;
use crate::config::MockConfig;
use crate::fault::Fault;
use crate::rate_limit::RateLimiter;
use crate::store::Store;

pub(crate) struct Shared {
    pub(crate) access: Access,
    pub(crate) api_keys: HashSet<String>,
    pub(crate) orgs: HashSet<String>,
    pub(crate) blocked_orgs: HashSet<String>,
    pub(crate) latency: Option<Duration>,
    pub(crate) rate_limiter: Option<RateLimiter>,
    periodic_faults: Vec<(u64, Fault)>,
    store: Mutex<Store>,
    queued_faults: Mutex<VecDeque<Fault>>,
    /// Faults for requests creating one email (lowercased), so that tests sharing a server
    /// target their own requests.
    email_faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    request_count: AtomicU64,
}

impl Shared {
    /// Checks the configuration: a bad periodic fault fails the start, not some later request.
    pub(crate) fn new(config: &MockConfig) -> io::Result<Shared> {
        let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
        let mut periodic_faults = Vec::new();
        for (every, spec) in &config.periodic_faults {
            if *every == 0 {
                return Err(invalid(format!(
                    "periodic fault `{spec}`: n must be at least 1"
                )));
            }
            let fault = Fault::parse(spec).map_err(|e| invalid(e.to_string()))?;
            periodic_faults.push((u64::from(*every), fault));
        }
        if config.rate_limit == Some(0) {
            return Err(invalid(
                "rate limit must be at least 1 request per second".into(),
            ));
        }
        Ok(Shared {
            access: Access::new(config)?,
            api_keys: config.api_keys.iter().cloned().collect(),
            orgs: config.orgs.iter().cloned().collect(),
            blocked_orgs: config.blocked_orgs.iter().cloned().collect(),
            latency: config.latency,
            rate_limiter: config.rate_limit.map(RateLimiter::new),
            periodic_faults,
            store: Mutex::default(),
            queued_faults: Mutex::default(),
            email_faults: Mutex::default(),
            request_count: AtomicU64::new(0),
        })
    }

    /// Counts one API request and returns its 1-based number.
    pub(crate) fn count_request(&self) -> u64 {
        self.request_count.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn request_count(&self) -> u64 {
        self.request_count.load(Ordering::Relaxed)
    }

    /// The fault for API request number `n` with this body: the header's, then the next one
    /// queued for the body's email, then the next queued one (each consumed here), then the
    /// periodic ones due, combined directive by directive in that order.
    pub(crate) fn fault_for(&self, header: Fault, n: u64, body: &[u8]) -> Fault {
        let for_email = self.next_email_fault(body).unwrap_or_default();
        let queued = lock(&self.queued_faults).pop_front().unwrap_or_default();
        let mut fault = header.or(for_email).or(queued);
        for (every, periodic) in &self.periodic_faults {
            if n.is_multiple_of(*every) {
                fault = fault.or(periodic.clone());
            }
        }
        fault
    }

    pub(crate) fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.queued_faults).extend(faults);
    }

    pub(crate) fn push_email_faults(&self, email: &str, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.email_faults)
            .entry(email.to_lowercase())
            .or_default()
            .extend(faults);
    }

    /// The next fault queued for the email of this request body, if any (consumed).
    fn next_email_fault(&self, body: &[u8]) -> Option<Fault> {
        let mut email_faults = lock(&self.email_faults);
        if email_faults.is_empty() {
            return None;
        }
        let email = serde_json::from_slice::<serde_json::Value>(body)
            .ok()?
            .get("email")?
            .as_str()?
            .to_lowercase();
        let queue = email_faults.get_mut(&email)?;
        let fault = queue.pop_front();
        if queue.is_empty() {
            email_faults.remove(&email);
        }
        fault
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Forgets users, queued faults, the request count and the rate-limit window.
    pub(crate) fn reset(&self) {
        self.store().clear();
        lock(&self.queued_faults).clear();
        lock(&self.email_faults).clear();
        self.request_count.store(0, Ordering::Relaxed);
        if let Some(limiter) = &self.rate_limiter {
            limiter.reset();
        }
    }
}

/// A panicking test thread must not poison the mock for the others: the data stays consistent
/// because every critical section is a single insert, pop or clear.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
