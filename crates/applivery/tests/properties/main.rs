//! Property tests: invariants checked over generated inputs (proptest). Each property runs
//! `PROPTEST_CASES` cases (proptest's default, 256, when unset; the one over HTTP a quarter of
//! that). A failure prints the shrunk counterexample; `PROPTEST_CASES=10000` runs more.

#[cfg(feature = "client")]
mod client_redaction;
mod redaction;
mod retry;
mod spec_rules;
mod validation;
mod wire;
