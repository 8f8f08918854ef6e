//! A small static file server for the demo: serves `web/` so the admin page and the package
//! load from one localhost origin while the mock answers from another (a real CORS setup).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// Serves files under `root`; `extra` maps exact URL paths to generated JSON bodies.
pub struct StaticServer {
    listener: TcpListener,
    root: PathBuf,
    extra: Vec<(String, String)>,
}

impl StaticServer {
    pub fn bind(addr: &str, root: PathBuf, extra: Vec<(String, String)>) -> std::io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr)?,
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
                thread::spawn(move || {
                    let _ = serve(stream, &root, &extra);
                });
            }
        });
    }
}

fn serve(mut stream: TcpStream, root: &Path, extra: &[(String, String)]) -> std::io::Result<()> {
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
        return respond(&mut stream, "302 Found", "text/plain", b"", Some("/admin/"));
    }
    if let Some((_, body)) = extra.iter().find(|(p, _)| p == path) {
        return respond(
            &mut stream,
            "200 OK",
            "application/json",
            body.as_bytes(),
            None,
        );
    }
    match resolve(root, path).and_then(|file| std::fs::read(&file).ok().map(|b| (file, b))) {
        Some((file, body)) => respond(&mut stream, "200 OK", content_type(&file), &body, None),
        None => respond(
            &mut stream,
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
         cache-control: no-store\r\n{location}connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}
