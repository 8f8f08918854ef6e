//! Judges a compiled pattern against the `regex` crate on thousands of strings.
//!
//! The strings are generated from the pattern itself (walking the regex parser's tree), near
//! misses of those (a character inserted, deleted or replaced, truncated, extended, case
//! flipped, non-ASCII inserted) and random strings of the pattern's own characters, all from a
//! fixed seed. The regex crate gets the pattern with ECMAScript's meanings spelled out: `\d`
//! and `\w` ASCII, `\s` ECMAScript's white space, `.` everything but its four line terminators.
//!
//! Shared by applivery-api's `generated_patterns` test and the xtask's compiler tests.

use regex_syntax::hir::{Class, Hir, HirKind};

/// How many strings of each verdict a pattern was judged on.
#[derive(Debug, Default)]
pub struct Verdicts {
    pub matching: usize,
    pub not_matching: usize,
}

/// Checks that `matcher` agrees with the regex crate on every case of `pattern`. Panics with
/// the disagreements.
pub fn judge(pattern: &str, matcher: impl Fn(&str) -> bool) -> Verdicts {
    let translated = regex_syntax_of(pattern);
    let regex = regex::Regex::new(&translated).unwrap_or_else(|e| panic!("{translated}: {e}"));
    let mut verdicts = Verdicts::default();
    let mut disagreements = Vec::new();
    for case in cases(&translated, 0x5eed ^ pattern.len() as u64) {
        let expected = regex.is_match(&case);
        if matcher(&case) != expected {
            disagreements.push(format!("{case:?}: the regex says {expected}"));
        }
        if expected {
            verdicts.matching += 1;
        } else {
            verdicts.not_matching += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "{pattern}: {} disagreements, first ones: {:#?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(10)]
    );
    verdicts
}

/// `pattern` (ECMAScript) in the regex crate's syntax, meaning the same.
pub fn regex_syntax_of(pattern: &str) -> String {
    const SPACE: &str =
        r"\t\n\x0B\x0C\r \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";
    let mut out = String::new();
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next().expect("a complete escape");
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' => out.push_str(&format!("[{SPACE}]")),
                    'S' => out.push_str(&format!("[^{SPACE}]")),
                    'b' if in_class => out.push_str(r"\x08"),
                    '0' => out.push_str(r"\x00"),
                    '/' => out.push('/'),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` right after `[` or `[^` would close the class in ECMAScript; the
                // cases here do not use one.
                if let Some(rest) = chars.as_str().strip_prefix('^') {
                    out.push('^');
                    chars = rest.chars();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' => out.push_str(r"\["),
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '.' if !in_class => out.push_str(r"[^\n\r\u2028\u2029]"),
            c => out.push(c),
        }
    }
    out
}

/// Seeded strings to judge the regex crate's `pattern` on.
pub fn cases(pattern: &str, seed: u64) -> Vec<String> {
    let hir = regex_syntax::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    let mut random = Random(seed);
    let mut alphabet: Vec<char> = "aZ09 -._:\n\r\t\u{0}é😀\u{2028}\u{a0}\u{feff}ß"
        .chars()
        .collect();
    characters_of(&hir, &mut alphabet);
    let mut out = Vec::new();
    for _ in 0..2000 {
        let mut generated = String::new();
        generate(&hir, &mut random, &mut generated);
        for _ in 0..3 {
            out.push(near_miss(&generated, &hir, &alphabet, &mut random));
        }
        out.push(generated);
    }
    for _ in 0..2000 {
        let length = random.below(30);
        out.push((0..length).map(|_| *random.pick(&alphabet)).collect());
    }
    out.push(String::new());
    out
}

/// A string of the language of `hir` (anchors aside), its repetitions at most 8 over minimum.
fn generate(hir: &Hir, random: &mut Random, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).unwrap()),
        HirKind::Class(Class::Unicode(class)) => {
            if let Some(range) = (!class.ranges().is_empty()).then(|| *random.pick(class.ranges()))
            {
                let (low, high) = (u32::from(range.start()), u32::from(range.end()));
                // The ends of a range are where a compiler errs: favour them.
                let code = match random.below(4) {
                    0 => low,
                    1 => high,
                    _ => low + random.below((high - low + 1) as usize) as u32,
                };
                out.push(char::from_u32(code).unwrap_or(range.start()));
            }
        }
        HirKind::Class(Class::Bytes(_)) => unreachable!("the regexes here are Unicode"),
        HirKind::Repetition(repetition) => {
            let most = repetition.max.unwrap_or(u32::MAX).min(repetition.min + 8);
            let count = repetition.min + random.below((most - repetition.min + 1) as usize) as u32;
            for _ in 0..count {
                generate(&repetition.sub, random, out);
            }
        }
        HirKind::Capture(capture) => generate(&capture.sub, random, out),
        HirKind::Concat(items) => items.iter().for_each(|item| generate(item, random, out)),
        HirKind::Alternation(branches) => generate(random.pick(branches), random, out),
    }
}

/// `text` slightly changed: mostly into a string the pattern refuses.
fn near_miss(text: &str, hir: &Hir, alphabet: &[char], random: &mut Random) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = random.below(chars.len() + 1);
    let near = |random: &mut Random| *random.pick(alphabet);
    match random.below(8) {
        0 => chars.insert(at, near(random)),
        1 if at < chars.len() => drop(chars.remove(at)),
        2 if at < chars.len() => chars[at] = near(random),
        3 => chars.truncate(at),
        4 => {
            let mut more = String::new();
            generate(hir, random, &mut more);
            chars.extend(more.chars().take(1 + random.below(3)));
        }
        5 if at < chars.len() => {
            let c = chars[at];
            chars[at] = if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
        }
        6 => chars.insert(at, *random.pick(&['é', '😀', 'ß', '\u{2028}', '\u{a0}'])),
        _ => chars.push(near(random)),
    }
    chars.into_iter().collect()
}

/// Adds the characters `hir` names, and their neighbours, to `alphabet`.
fn characters_of(hir: &Hir, alphabet: &mut Vec<char>) {
    let mut add = |code: u32| {
        for code in [code.saturating_sub(1), code, code + 1] {
            if let Some(c) = char::from_u32(code).filter(|c| !alphabet.contains(c)) {
                alphabet.push(c);
            }
        }
    };
    match hir.kind() {
        HirKind::Literal(literal) => {
            std::str::from_utf8(&literal.0)
                .unwrap()
                .chars()
                .for_each(|c| add(u32::from(c)));
        }
        HirKind::Class(Class::Unicode(class)) => {
            for range in class.ranges().iter().take(16) {
                add(u32::from(range.start()));
                add(u32::from(range.end()));
            }
        }
        HirKind::Repetition(repetition) => characters_of(&repetition.sub, alphabet),
        HirKind::Capture(capture) => characters_of(&capture.sub, alphabet),
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            items.iter().for_each(|item| characters_of(item, alphabet));
        }
        _ => {}
    }
}

/// SplitMix64: deterministic, and no dependency for it.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
