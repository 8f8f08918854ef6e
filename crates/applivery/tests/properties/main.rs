//! Property tests: invariants checked over generated inputs (proptest). Each property runs
//! `PROPTEST_CASES` cases (proptest's default, 256, when unset; `cargo xtask test` sets it and
//! prints the figure). A failure prints the shrunk counterexample.

#[cfg(feature = "client")]
mod client_redaction;
mod redaction;
mod retry;
mod spec_rules;
mod validation;
mod wire;
