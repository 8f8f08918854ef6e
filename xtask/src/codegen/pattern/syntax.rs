//! The regular subset of ECMAScript regular expressions, parsed into a [`Node`] tree.
//!
//! Anchors, literals and escapes, classes, `\d \w \s` (ASCII digits and word characters, as
//! ECMAScript has them; `\s` is ECMAScript's white space and line terminators), `.`, greedy or
//! lazy quantifiers, groups and alternation. Whatever could be read two ways, or needs more
//! than a finite automaton (look-around, backreferences, word boundaries, property escapes,
//! inline flags, Annex B leniencies such as a stray `{` or `]`), is an error, so a pattern
//! either compiles to exactly its meaning or not at all.
//!
//! Characters are code points, as with ECMAScript's `u` flag (and the `regex` crate the tests
//! compare with): without it, ECMAScript's `.` or a negated class would take a character
//! beyond U+FFFF as two UTF-16 units. The spec's patterns (ASCII classes) judge alike either way.

/// A set of characters: sorted, disjoint, inclusive ranges of code points, no surrogates.
pub type CharSet = Vec<(u32, u32)>;

/// The largest count a quantifier may give: the automaton unrolls counted repetitions.
const MAX_COUNT: u32 = 1000;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Empty,
    Chars(CharSet),
    /// `^`: the position before the first character.
    Start,
    /// `$`: the position after the last character.
    End,
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// The tree of `pattern`, or why it is outside the subset.
pub fn parse(pattern: &str) -> Result<Node, String> {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
    };
    let node = parser.alternation()?;
    match parser.peek() {
        None => Ok(node),
        Some(c) => Err(parser.error(&format!("unexpected `{c}`"))),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, wanted: char) -> bool {
        let found = self.peek() == Some(wanted);
        if found {
            self.pos += 1;
        }
        found
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at character {}", self.pos)
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concat()?];
        while self.eat('|') {
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alternation(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.remove(0),
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self) -> Result<Node, String> {
        let c = self.next().ok_or_else(|| self.error("unexpected end"))?;
        Ok(match c {
            '^' => Node::Start,
            '$' => Node::End,
            '.' => Node::Chars(complement(&normalize(vec![
                (0x0A, 0x0A),
                (0x0D, 0x0D),
                (0x2028, 0x2029),
            ]))),
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    return Err(
                        self.error("look-around, named groups and inline flags are not supported")
                    );
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return Err(self.error("unclosed group"));
                }
                inner
            }
            '[' => Node::Chars(self.class()?),
            '\\' => match self.escape(false)? {
                Escaped::Char(c) => Node::Chars(vec![(c, c)]),
                Escaped::Set(set) => Node::Chars(set),
            },
            '*' | '+' | '?' | '{' => return Err(self.error(&format!("nothing to repeat by `{c}`"))),
            ']' | '}' => return Err(self.error(&format!("a bare `{c}`: escape it"))),
            c => Node::Chars(vec![(u32::from(c), u32::from(c))]),
        })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                let min = self.count()?;
                let max = if self.eat(',') {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.count()?)
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.error("a `{` that is not a quantifier: escape it"));
                }
                if max.is_some_and(|max| max < min) {
                    return Err(self.error("a quantifier's maximum below its minimum"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        // Laziness changes which match is found, not whether the whole value has one.
        self.eat('?');
        if matches!(atom, Node::Start | Node::End) {
            return Err(self.error("a quantified anchor"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn count(&mut self) -> Result<u32, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        match digits.parse::<u32>() {
            Ok(n) if n <= MAX_COUNT => Ok(n),
            Ok(_) => Err(self.error(&format!("a count over {MAX_COUNT}"))),
            Err(_) => Err(self.error("a `{` that is not a quantifier: escape it")),
        }
    }

    /// The contents of `[...]`, after the `[`.
    fn class(&mut self) -> Result<CharSet, String> {
        let negated = self.eat('^');
        let mut set = Vec::new();
        loop {
            let c = self.next().ok_or_else(|| self.error("unclosed class"))?;
            if c == ']' {
                break;
            }
            let low = self.class_atom(c)?;
            let is_range = self.peek() == Some('-') && self.chars.get(self.pos + 1) != Some(&']');
            if !is_range {
                match low {
                    Escaped::Char(c) => set.push((c, c)),
                    Escaped::Set(other) => set.extend(other),
                }
                continue;
            }
            self.pos += 1;
            let c = self.next().ok_or_else(|| self.error("unclosed class"))?;
            let high = self.class_atom(c)?;
            match (low, high) {
                (Escaped::Char(low), Escaped::Char(high)) if low <= high => set.push((low, high)),
                (Escaped::Char(_), Escaped::Char(_)) => {
                    return Err(self.error("a class range out of order"));
                }
                _ => return Err(self.error("a class escape as a range's end")),
            }
        }
        let set = normalize(set);
        Ok(if negated { complement(&set) } else { set })
    }

    fn class_atom(&mut self, c: char) -> Result<Escaped, String> {
        match c {
            '\\' => self.escape(true),
            c => Ok(Escaped::Char(u32::from(c))),
        }
    }

    /// The escape after a `\`.
    fn escape(&mut self, in_class: bool) -> Result<Escaped, String> {
        let c = self.next().ok_or_else(|| self.error("a `\\` at the end"))?;
        let set = |set: CharSet| Ok(Escaped::Set(set));
        let char = |c: u32| Ok(Escaped::Char(c));
        match c {
            'd' => set(digit()),
            'D' => set(complement(&digit())),
            'w' => set(word()),
            'W' => set(complement(&word())),
            's' => set(space()),
            'S' => set(complement(&space())),
            't' => char(0x09),
            'n' => char(0x0A),
            'v' => char(0x0B),
            'f' => char(0x0C),
            'r' => char(0x0D),
            'b' if in_class => char(0x08),
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => char(0),
            'c' => match self.next() {
                Some(letter) if letter.is_ascii_alphabetic() => char(u32::from(letter) % 32),
                _ => Err(self.error("`\\c` without a letter")),
            },
            'x' => self.hex(2).map(Escaped::Char),
            'u' => self.hex(4).map(Escaped::Char),
            'b' | 'B' => Err(self.error("word boundaries are not supported")),
            '1'..='9' | '0' | 'k' => Err(self.error("backreferences are not supported")),
            'p' | 'P' => Err(self.error("property escapes are not supported")),
            '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
            | '/' | '-' => char(u32::from(c)),
            c => Err(self.error(&format!("the unknown escape `\\{c}`"))),
        }
    }

    fn hex(&mut self, digits: usize) -> Result<u32, String> {
        let text: String = self.chars.iter().skip(self.pos).take(digits).collect();
        match u32::from_str_radix(&text, 16) {
            Ok(value) if text.len() == digits && text.chars().all(|c| c.is_ascii_hexdigit()) => {
                self.pos += digits;
                if (0xD800..=0xDFFF).contains(&value) {
                    return Err(self.error("a surrogate escape"));
                }
                Ok(value)
            }
            _ => Err(self.error(&format!("an escape without {digits} hex digits"))),
        }
    }
}

enum Escaped {
    Char(u32),
    Set(CharSet),
}

fn digit() -> CharSet {
    vec![(0x30, 0x39)]
}

fn word() -> CharSet {
    normalize(vec![(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
}

/// ECMAScript's WhiteSpace and LineTerminator: Unicode, unlike `\d` and `\w`.
fn space() -> CharSet {
    normalize(vec![
        (0x09, 0x0D),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
    ])
}

/// `ranges` sorted, merged, and without surrogates (no `char` is one).
pub fn normalize(mut ranges: Vec<(u32, u32)>) -> CharSet {
    ranges.sort_unstable();
    let mut merged: CharSet = Vec::new();
    for (low, high) in ranges {
        match merged.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => merged.push((low, high)),
        }
    }
    let mut out = Vec::new();
    for (low, high) in merged {
        if low < 0xD800 {
            out.push((low, high.min(0xD7FF)));
        }
        if high > 0xDFFF {
            out.push((low.max(0xE000), high));
        }
    }
    out
}

/// Every character outside `set` (a normalized set).
pub fn complement(set: &CharSet) -> CharSet {
    let mut out = Vec::new();
    let mut next = 0;
    for &(low, high) in set {
        if low > next {
            out.push((next, low - 1));
        }
        next = high + 1;
    }
    if next <= 0x10FFFF {
        out.push((next, 0x10FFFF));
    }
    normalize(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_parses() {
        for pattern in [
            r"^[a-fA-F0-9]{24}$",
            r"^[\w.]*((:asc)|(:desc))?$",
            r"^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$",
            r"a|b|",
            r"(?:x+?y{2,}?)*",
            r"[^\d\s-]\D\W\S.\t\x41\u00e9\cJ\0[\b]",
            r"[]",
            r"[^]",
        ] {
            assert!(parse(pattern).is_ok(), "{pattern}: {:?}", parse(pattern));
        }
    }

    #[test]
    fn anything_beyond_it_is_refused_with_a_reason() {
        for (pattern, reason) in [
            (r"^(?!\.)a$", "look-around"),
            (r"(?<=a)b", "look-around"),
            (r"(a)\1", "backreferences"),
            (r"\bword\b", "word boundaries"),
            (r"\p{L}", "property escapes"),
            (r"(?i)a", "inline flags"),
            (r"a{2", "not a quantifier"),
            (r"a{3,2}", "below its minimum"),
            (r"a**", "nothing to repeat"),
            (r"^*", "quantified anchor"),
            (r"[z-a]", "out of order"),
            (r"[\d-z]", "range's end"),
            (r"(a", "unclosed group"),
            (r"a)", "unexpected `)`"),
            (r"[a", "unclosed class"),
            (r"a]", "bare `]`"),
            (r"\q", "unknown escape"),
            (r"\x4", "hex digits"),
            (r"a{1001}", "count over"),
        ] {
            let error = parse(pattern).expect_err(pattern);
            assert!(error.contains(reason), "{pattern}: {error}");
        }
    }

    #[test]
    fn classes_are_normalized_and_complemented_without_surrogates() {
        assert_eq!(normalize(vec![(5, 9), (0, 3), (4, 4)]), vec![(0, 9)]);
        assert_eq!(
            complement(&vec![(0x41, 0x5A)]),
            vec![(0, 0x40), (0x5B, 0xD7FF), (0xE000, 0x10FFFF)]
        );
        assert_eq!(parse("[^]"), Ok(Node::Chars(complement(&Vec::new()))));
    }
}
