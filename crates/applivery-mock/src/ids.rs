//! Fresh identifiers shaped like Applivery's (24 hex digits, like a MongoDB ObjectId).

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::platform;

/// A per-process random seed, so ids differ between runs without a random-number crate.
static SEED: LazyLock<u64> = LazyLock::new(platform::random_u64);
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 8 hex digits of Unix seconds, then 16 of a unique scrambled counter: sortable and unique.
pub(crate) fn object_id() -> String {
    let seconds = (platform::unix_millis() / 1000) as u32;
    format!("{seconds:08x}{:016x}", random_u64())
}

/// 48 hex digits, unique per call and unpredictable across runs: an `oemSecret`.
pub(crate) fn secret() -> String {
    format!(
        "{:016x}{:016x}{:016x}",
        random_u64(),
        random_u64(),
        platform::random_u64()
    )
}

/// The 24-hex id of an organization the mock knows by `name`: the name itself when it is a
/// 24-hex id (lower-cased), else one derived from it, the same in every run.
pub(crate) fn organization_object_id(name: &str) -> String {
    if name.len() == 24 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return name.to_ascii_lowercase();
    }
    stable_object_id("organization", name)
}

/// A 24-hex id derived from `(kind, value)` with FNV-1a: the same in every run. For the
/// service account behind an API key, the key is only hashed, never shown.
pub(crate) fn stable_object_id(kind: &str, value: &str) -> String {
    let fnv = |seed: u64| {
        [kind.as_bytes(), b":", value.as_bytes()]
            .concat()
            .iter()
            .fold(seed, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
    };
    let (high, low) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4));
    format!("{high:016x}{:08x}", low as u32)
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
        assert_eq!(secret().len(), 48);
        assert_ne!(secret(), secret());
        assert_eq!(
            organization_object_id("demo-org"),
            organization_object_id("demo-org")
        );
        assert_eq!(organization_object_id("demo-org").len(), 24);
        assert_eq!(
            organization_object_id("5F3A9C0E1B2C3D4E5F6A7B8C"),
            "5f3a9c0e1b2c3d4e5f6a7b8c"
        );
    }
}
