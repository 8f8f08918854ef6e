//! The npm package's own writers of request text, where the usual ones cost its wasm size:
//! percent-encoding with the `percent-encoding` crate's output for [`crate::request::encode`]'s
//! set (everything but RFC 3986's unreserved characters) without the crate's 768-byte table of
//! escapes (0.5 KB gzip of the package), and integers without `core::fmt`. Native builds use the
//! crate and `to_string`; tests check that both agree.

/// `text` with every byte but `A-Z a-z 0-9 - . _ ~` written as `%XX` (upper-case hex).
pub(crate) fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

/// `n` in decimal, as `to_string` writes it.
pub(crate) fn decimal(n: i64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(21);
    if n < 0 {
        out.push('-');
    }
    digits[at..]
        .iter()
        .for_each(|&digit| out.push(char::from(digit)));
    out
}
