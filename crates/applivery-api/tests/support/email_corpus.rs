//! A deterministic corpus of email addresses for differential tests of the email rules:
//! hand-picked boundary and hostile cases, then generated ones (valid shapes, mutated shapes,
//! unicode, quotes, long labels, lengths around 256). Shared by the applivery-api, mock and wasm
//! tests through `#[path]`, so every surface is judged on the same inputs.

/// The documented pattern is read from the spec by each test; this is only the corpus.
pub fn emails(generated: usize) -> Vec<String> {
    let mut out: Vec<String> = HAND_PICKED.iter().map(|s| s.to_string()).collect();
    for total in [255, 256, 257] {
        let domain = "@example.com";
        out.push(format!("{}{domain}", "a".repeat(total - domain.len())));
        let label = format!("{}.", "b".repeat(60));
        let mut long = String::from("a@");
        while long.len() + label.len() + 2 <= total {
            long.push_str(&label);
        }
        long.push_str(&"c".repeat(total - long.len()));
        out.push(long);
    }
    let mut rng = Rng(0x5eed_e3a1_u64);
    while out.len() < HAND_PICKED.len() + 6 + generated {
        out.push(rng.email());
    }
    out
}

const HAND_PICKED: &[&str] = &[
    "user@example.com",
    "USER@EXAMPLE.COM",
    "first.last+tag@sub.example.co.uk",
    "o'neil@example.org",
    "o'@example.org",
    "'o@example.org",
    "a-@b-.co",
    "-@-.co",
    "_@x.yz",
    "+@x.yz",
    "a@1.io",
    "a@b.c",
    "a@b.cd",
    "a@b.c0",
    "a@b.c-",
    "a@b-c.d-e.fg",
    ".a@example.com",
    "a.@example.com",
    "a..b@example.com",
    "a@example..com",
    "a@.example.com",
    "a@example.com.",
    "a@-example.com",
    "a@_example.com",
    "a@exa_mple.com",
    "a@example",
    "@example.com",
    "a@",
    "",
    "@",
    "a@@example.com",
    "a@b@example.com",
    "a b@example.com",
    " a@example.com",
    "a@example.com ",
    "a@example.com\n",
    "\na@example.com",
    "a\n..b@example.com",
    "a@example.com\r",
    "a@example.com\u{2028}",
    "\"a\"@example.com",
    "\"a b\"@example.com",
    "a\"@example.com",
    "<a@example.com>",
    "a@[127.0.0.1]",
    "a@127.0.0.1",
    "josé@example.com",
    "a@bücher.de",
    "a@xn--bcher-kva.de",
    "用户@例子.广告",
    "a@example.com😀",
    "a\u{0}@example.com",
    "a%b@example.com",
    "a!b@example.com",
    "a#b@example.com",
    "a=b@example.com",
    "a/b@example.com",
    "a?b@example.com",
    "a{b}@example.com",
    "a~b@example.com",
    "a*b@example.com",
    "a&b@example.com",
    "a..@example.com",
    "..@example.com",
    ".@example.com",
    "a@b..c",
    "a@b.cc.",
    "a@b.c.d.ef",
    "A@B.CO",
    "0@0.co",
    "a@0-.co",
    "a@b.COM",
    "a@b.co1",
    "a@b.1co",
    "a.b.c.d@e.f.g.hi",
    "x@example.museum",
];

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Mostly characters the pattern allows there, sometimes anything.
    fn text(&mut self, allowed: &[&str], max: usize) -> String {
        let len = self.below(max + 1);
        (0..len)
            .map(|_| {
                if self.chance(3) {
                    self.pick(HOSTILE).to_string()
                } else {
                    self.pick(allowed).to_string()
                }
            })
            .collect()
    }

    fn email(&mut self) -> String {
        let mut local = self.text(LOCAL, 12);
        if self.chance(5) {
            local = "l".repeat(self.below(260));
        }
        let labels = 1 + self.below(4);
        let mut domain: Vec<String> = (0..labels)
            .map(|_| {
                let mut label = self.text(LABEL, 10);
                if self.chance(3) {
                    label = "d".repeat(self.below(130));
                }
                label
            })
            .collect();
        let top = if self.chance(85) {
            self.text(LETTERS, 6)
        } else {
            self.text(LABEL, 4)
        };
        domain.push(top);
        let mut email = local;
        match self.below(40) {
            0 => {}
            1 => email.push_str("@@"),
            _ => email.push('@'),
        }
        email.push_str(&domain.join("."));
        if self.chance(2) {
            let at = self.below(email.len() + 1);
            let at = (0..=at)
                .rev()
                .find(|&i| email.is_char_boundary(i))
                .unwrap_or(0);
            email.insert(at, '.');
        }
        // Some truncate at a char boundary, to hit shapes such as a missing TLD.
        if self.chance(3) {
            let cut = self.below(email.len() + 1);
            let cut = (0..=cut)
                .rev()
                .find(|&i| email.is_char_boundary(i))
                .unwrap_or(0);
            email.truncate(cut);
        }
        email
    }
}

const LETTERS: &[&str] = &["a", "b", "c", "x", "y", "z", "A", "B", "M", "Z"];
const LABEL: &[&str] = &["a", "b", "k", "z", "A", "Q", "0", "1", "9", "-"];
const LOCAL: &[&str] = &[
    "a", "b", "q", "z", "A", "K", "Z", "0", "5", "9", "_", "'", "+", "-", ".",
];
const HOSTILE: &[&str] = &[
    " ", "\"", "@", ".", "..", "é", "ü", "中", "😀", "\n", "\t", "\0", "<", ">", "(", ",", ";",
    ":", "\\", "!", "#", "$", "%", "&", "*", "/", "=", "?", "^", "`", "{", "|", "}", "~",
    "\u{2028}", "\u{a0}", "[", "]", "ß", "K",
];
