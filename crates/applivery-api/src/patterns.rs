//! Hand-written matchers for the `pattern`s of the spec that codegen cannot compile.
//!
//! Applivery documents its patterns as ECMAScript regular expressions. `cargo xtask codegen`
//! compiles every pattern of the regular subset (classes, quantifiers, groups, alternation,
//! anchors) into a table that [`crate::compiled_pattern`] runs. The email pattern uses
//! look-ahead, which no finite table of that kind expresses (and a regex engine would cost the
//! wasm package far more than these few lines), so it is written here by hand; codegen uses a
//! matcher from here only for a pattern it cannot compile, and fails on a pattern that is
//! neither compilable nor here. Each matcher accepts exactly what its pattern accepts: the tests
//! compare them with a look-ahead-capable engine running the spec's own pattern text.
//!
//! A matcher answers `Err(reason)` with a short, field-level reason for the first rule broken.

/// `^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`
///
/// ASCII only: a local part of letters, digits and `_ ' + - .` that does not start with `.`
/// and ends in a letter, digit, `_`, `+` or `-`; no `..` anywhere; one `@`; then one or more
/// labels that start with a letter or digit (then letters, digits, `-`), each followed by `.`,
/// and a top-level name of at least two letters.
pub fn email(value: &str) -> Result<(), &'static str> {
    let bytes = value.as_bytes();
    if bytes.first() == Some(&b'.') {
        return Err("must not start with '.'");
    }
    if bytes.windows(2).any(|pair| pair == b"..") {
        return Err("must not contain '..'");
    }
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return Err("must contain '@'");
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let Some(&last) = local.last() else {
        return Err("needs a name before '@'");
    };
    if !local.iter().all(|&b| is_local_byte(b)) {
        return Err("may only use letters A-Z, digits and _ ' + - . before '@'");
    }
    if last == b'.' || last == b'\'' {
        return Err("must not have '.' or ''' right before '@'");
    }
    let mut labels = domain.split(|&b| b == b'.');
    let top = labels.next_back().unwrap_or_default();
    let mut count = 0;
    for label in labels {
        count += 1;
        match label.split_first() {
            Some((first, rest))
                if first.is_ascii_alphanumeric()
                    && rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') => {}
            _ => {
                return Err(
                    "each part of the domain must start with a letter or digit and use only letters, digits and '-'",
                );
            }
        }
    }
    if count == 0 || top.len() < 2 || !top.iter().all(u8::is_ascii_alphabetic) {
        return Err(
            "the domain must end in '.' and a name of two or more letters, as in example.com",
        );
    }
    Ok(())
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\'' | b'+' | b'-' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "user@example.com",
            "o'neil@example.org",
            "first.last+tag@sub.example.co.uk",
            "a-@b-.co",
            "_@x.yz",
            "a@1.io",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            ".a@example.com",
            "a..b@example.com",
            "a@example..com",
            "a'@example.com",
            "a.@example.com",
            "a@b.c",
            "josé@example.com",
            "a@bücher.de",
            "a@example",
            "a@@example.com",
            "a@-b.com",
            "a@example.c0m",
            "a b@example.com",
            "a@example.com\n",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }
}
