//! A small static file server for the demo: serves `web/` so the admin page and the package
//! load from one localhost origin while the mock answers from another (a real CORS setup).
//! Every response carries the page's Content-Security-Policy as a header: the one in the page's
//! `<meta>` tag (web/admin/index.html, the single place to edit it) plus `frame-ancestors 'none'`,
//! which only works as a header.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// Serves files under `root`; `extra` maps exact URL paths to generated JSON bodies.
pub struct StaticServer {
    listener: TcpListener,
    root: PathBuf,
    extra: Vec<(String, String)>,
    csp: String,
}

/// The admin page, whose `<meta>` Content-Security-Policy the server sends as a header.
const PAGE: &str = "admin/index.html";

impl StaticServer {
    pub fn bind(addr: &str, root: PathBuf, extra: Vec<(String, String)>) -> std::io::Result<Self> {
        let page = std::fs::read_to_string(root.join(PAGE))?;
        Ok(Self {
            listener: TcpListener::bind(addr)?,
            csp: header_policy(&page),
            root,
            extra,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.listener.local_addr().expect("bound"))
    }

    /// Serves forever on background threads.
    pub fn spawn(self) {
        thread::spawn(move || {
            for stream in self.listener.incoming().flatten() {
                let root = self.root.clone();
                let extra = self.extra.clone();
                let csp = self.csp.clone();
                thread::spawn(move || {
                    let _ = serve(stream, &root, &extra, &csp);
                });
            }
        });
    }
}

/// The page's `<meta http-equiv="Content-Security-Policy">` policy with `frame-ancestors 'none'`;
/// without one, a policy that lets nothing load (a broken demo rather than an unprotected page).
fn header_policy(page: &str) -> String {
    const META: &str = r#"http-equiv="Content-Security-Policy" content=""#;
    let policy = page
        .find(META)
        .map(|at| &page[at + META.len()..])
        .and_then(|rest| rest.split_once('"'))
        .map_or("default-src 'none'", |(policy, _)| policy.trim());
    format!("{}; frame-ancestors 'none'", policy.trim_end_matches(';'))
}

fn serve(
    mut stream: TcpStream,
    root: &Path,
    extra: &[(String, String)],
    csp: &str,
) -> std::io::Result<()> {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut request_line)?;
    // Drain the headers; the body of a GET is empty.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path == "/" {
        return respond(
            &mut stream,
            csp,
            "302 Found",
            "text/plain",
            b"",
            Some("/admin/"),
        );
    }
    if let Some((_, body)) = extra.iter().find(|(p, _)| p == path) {
        return respond(
            &mut stream,
            csp,
            "200 OK",
            "application/json",
            body.as_bytes(),
            None,
        );
    }
    match resolve(root, path).and_then(|file| std::fs::read(&file).ok().map(|b| (file, b))) {
        Some((file, body)) => respond(&mut stream, csp, "200 OK", content_type(&file), &body, None),
        None => respond(
            &mut stream,
            csp,
            "404 Not Found",
            "text/plain",
            b"not found",
            None,
        ),
    }
}

/// Maps a URL path to a file under `root`, refusing anything that would leave it.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = Path::new(url_path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = root.join(relative);
    if url_path.ends_with('/') {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    csp: &str,
    status: &str,
    content_type: &str,
    body: &[u8],
    location: Option<&str>,
) -> std::io::Result<()> {
    let location = location
        .map(|l| format!("location: {l}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\ncontent-security-policy: {csp}\r\n\
         x-content-type-options: nosniff\r\n{location}connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_header_is_the_pages_policy_with_frame_ancestors() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
        let server = StaticServer::bind("127.0.0.1:0", root.clone(), Vec::new()).unwrap();
        let addr = server.listener.local_addr().unwrap();
        server.spawn();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /admin/ HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let header = answer
            .lines()
            .find_map(|line| line.strip_prefix("content-security-policy: "))
            .unwrap_or_else(|| panic!("no CSP header in {answer}"));
        let page = std::fs::read_to_string(root.join(PAGE)).unwrap();
        assert!(page.contains(header.trim_end_matches("; frame-ancestors 'none'")));
        for directive in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(header.contains(directive), "{directive} not in {header}");
        }
    }

    #[test]
    fn a_page_without_a_policy_gets_one_that_loads_nothing() {
        assert_eq!(
            header_policy("<html>"),
            "default-src 'none'; frame-ancestors 'none'"
        );
    }
}
