//! Fresh identifiers shaped like Applivery's (24 hex digits, like a MongoDB ObjectId).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A per-process random seed, so ids differ between runs without a random-number crate.
static SEED: LazyLock<u64> = LazyLock::new(|| RandomState::new().hash_one(0x5eed_u64));
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 8 hex digits of Unix seconds, then 16 of a unique scrambled counter: sortable and unique.
pub(crate) fn object_id() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as u32;
    format!("{seconds:08x}{:016x}", random_u64())
}

/// 32 hex digits, unique per call: the fake `oemSecret`.
pub(crate) fn secret() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

/// splitmix64 over a counter: distinct inputs give distinct outputs (it is a bijection).
fn random_u64() -> u64 {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut z = SEED.wrapping_add(n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_24_hex_and_unique() {
        let a = object_id();
        let b = object_id();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(secret().len(), 32);
    }
}
