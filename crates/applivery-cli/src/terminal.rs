//! Text from the server or a file, made safe for the operator's terminal.
//!
//! A name, tag or error message holding `ESC ] 0;...BEL` (set the window title) or `ESC [2J`
//! (clear the screen) would act on the terminal it is printed to. So every text output
//! (`--output text`) and every message on stderr goes through [`clean`]: C0 control characters
//! other than newline and tab, DEL and C1 control characters are shown escaped, Rust style
//! (`\u{1b}`). JSON output goes through [`json`], which writes the characters serde_json leaves
//! raw (DEL and C1) as JSON escapes (`\u009b`): serde_json already escapes C0. CSV output and
//! the files we write keep data as data.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is escaped on a terminal.
fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with its control characters (except newline and tab) written as `\u{XX}`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_escaped(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON text (as serde_json writes it) with DEL and C1 control characters escaped as JSON
/// does (`\u009b`). Such a character can only be inside a string of the text, so the result is
/// the same JSON value.
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_escaped(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_but_newline_and_tab_kept() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("a\u{1b}]0;pwned\u{7}b"), r"a\u{1b}]0;pwned\u{7}b");
        assert_eq!(
            clean("\u{1b}[2J\n\tx\r\u{7f}\u{9b}"),
            "\\u{1b}[2J\n\tx\\u{d}\\u{7f}\\u{9b}"
        );
    }

    #[test]
    fn json_text_stays_the_same_value() {
        let value = serde_json::json!({ "name": "a\u{1b}[2J\u{9b}31m\u{7f}" });
        let text = serde_json::to_string(&value).unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(is_escaped), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }
}
