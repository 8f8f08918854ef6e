//! The runtime of the spec's `pattern`s that `cargo xtask codegen` compiles.
//!
//! Codegen turns each regular pattern of the spec into a [`CompiledPattern`]: a deterministic
//! automaton over classes of characters, built and minimised at codegen time
//! (`xtask/src/codegen/pattern.rs`). Running one is a table walk, one step per character: linear
//! in the value, no backtracking, no regex engine in the npm package's wasm.
//!
//! This file has no dependencies: the xtask's tests include it to run the tables they compile.

/// A pattern compiled to a deterministic automaton, matched against the whole value.
///
/// State 0 refuses whatever follows; states from `first_accepting` on accept where the value
/// ends. Any search (a pattern without `^` or `$`) is already folded into the table.
#[derive(Clone, Copy, Debug)]
pub struct CompiledPattern<'a> {
    /// Disjoint, inclusive ranges of characters and the class of each; any other character is
    /// class 0.
    pub classes: &'a [(char, char, u8)],
    /// The number of classes: the width of a row of `next`.
    pub class_count: u8,
    /// The state after a character: `next[state * class_count + class]`.
    pub next: &'a [u8],
    /// The state before the first character.
    pub start: u8,
    /// The first accepting state: the states are numbered refusing first.
    pub first_accepting: u8,
}

impl CompiledPattern<'_> {
    /// Whether `value` matches the pattern (ECMAScript semantics, on characters).
    pub fn matches(&self, value: &str) -> bool {
        let mut state = self.start;
        for c in value.chars() {
            if state == 0 {
                return false;
            }
            let class = self
                .classes
                .iter()
                .find(|(low, high, _)| *low <= c && c <= *high)
                .map_or(0, |&(_, _, class)| class);
            state =
                self.next[usize::from(state) * usize::from(self.class_count) + usize::from(class)];
        }
        state >= self.first_accepting
    }
}
