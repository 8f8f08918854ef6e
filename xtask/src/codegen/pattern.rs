//! Compiles the regular `pattern`s of the spec into tables that applivery-api runs.
//!
//! [`compile`] reads a pattern as ECMAScript does (the regular subset: [`syntax`]) and builds a
//! minimal deterministic automaton for it ([`automaton`]); [`emit`] writes that automaton as an
//! `applivery_api::compiled_pattern::CompiledPattern` literal, which a ten-line loop runs. A
//! pattern outside the subset is an error, and codegen falls back to a hand-written matcher.

mod automaton;
mod syntax;

#[cfg(test)]
mod equivalence_tests;

pub use automaton::Table;

/// The table of `pattern`, or why it has none (outside the subset, or too large).
pub fn compile(pattern: &str) -> Result<Table, String> {
    automaton::build(&syntax::parse(pattern)?)
}

/// `table` as a Rust expression of type `CompiledPattern<'static>`.
pub fn emit(table: &Table) -> String {
    let Table {
        classes,
        class_count,
        next,
        start,
        first_accepting,
    } = table;
    format!(
        "crate::compiled_pattern::CompiledPattern {{ classes: &{classes:?}, \
         class_count: {class_count}, next: &{next:?}, start: {start}, \
         first_accepting: {first_accepting} }}"
    )
}
