//! The one CSV formula-injection rule, for every CSV we write and read (the CLI's list output,
//! results and secrets files; the npm package's `neutralizeCsvCell`/`restoreCsvCell` for the
//! admin page).
//!
//! A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula (and some treat a
//! leading tab or carriage return the same way): a name such as `=HYPERLINK("http://x","y")`
//! from the server would become a live link, or a command, in the operator's spreadsheet. So a
//! written cell starting with one of [`TRIGGERS`] gets one more leading `'` (which spreadsheets
//! show as text and hide). `'` is a trigger too, so that reading can undo exactly what writing
//! did: [`restore`] removes one leading `'` when the next character is a trigger, and
//! `restore(neutralize(x)) == x` for every `x` (a name like `'t Hart` is written `''t Hart`).

use std::borrow::Cow;

/// The first characters that make a written cell start with one more `'`.
pub const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// The cell as it is written to a CSV file: with one more leading `'` when it starts with one of
/// [`TRIGGERS`], else unchanged. Quoting (commas, quotes, line breaks) is the CSV writer's job,
/// after this.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) {
        let mut guarded = String::with_capacity(cell.len() + 1);
        guarded.push('\'');
        guarded.push_str(cell);
        Cow::Owned(guarded)
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as read from a CSV file (after unquoting): without its leading `'` when the next
/// character is one of [`TRIGGERS`], else unchanged. The inverse of [`neutralize`].
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule's table: each cell, as written, and back.
    #[test]
    fn cells_are_neutralized_and_round_trip() {
        let table = [
            (
                r#"=HYPERLINK("http://x","y")"#,
                r#"'=HYPERLINK("http://x","y")"#,
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("-2+3+cmd@example.com", "'-2+3+cmd@example.com"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'t Hart", "''t Hart"),
            ("''x", "'''x"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("", ""),
        ];
        for (cell, written) in table {
            assert_eq!(neutralize(cell), written, "{cell:?}");
            assert_eq!(restore(&neutralize(cell)), cell, "{cell:?}");
        }
        // A cell nobody neutralized reads as it is unless it looks neutralized.
        assert_eq!(restore("'plain"), "'plain");
        assert_eq!(restore("'"), "'");
        assert_eq!(restore("'=1"), "=1");
    }
}
