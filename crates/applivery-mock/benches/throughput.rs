//! Throughput of the mock under concurrent load: `cargo xtask bench mock`.
//!
//! Starts the mock in-process, opens 64 keep-alive HTTP/1.1 connections with hyper's client
//! (one request in flight per connection), and creates unique users for a few seconds after a
//! warm-up. The load generator shares the machine's cores with the server, as it would in CI.
//! Prints creates per second, errors, and p50/p99 latency. Settings through the environment:
//! `MOCK_BENCH_SECONDS` (default 5), `MOCK_BENCH_CONNECTIONS` (default 64).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use applivery_mock::{DEFAULT_API_KEY, DEFAULT_ORG, MockConfig, MockServer};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const WARM_UP: Duration = Duration::from_secs(1);

/// What one connection did while measuring.
#[derive(Default)]
struct Tally {
    created: u64,
    errors: u64,
    latencies_us: Vec<u32>,
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let seconds = setting("MOCK_BENCH_SECONDS", 5);
    let connections = setting("MOCK_BENCH_CONNECTIONS", 64);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(connections, Duration::from_secs(seconds)));
}

async fn run(connections: u64, duration: Duration) {
    let mock = MockServer::start(MockConfig::default())
        .await
        .expect("mock starts");
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = tokio::task::JoinSet::new();
    for connection in 0..connections {
        workers.spawn(worker(
            mock.addr(),
            connection,
            measuring.clone(),
            stop.clone(),
        ));
    }
    tokio::time::sleep(WARM_UP).await;
    let users_before = mock.users().len();
    measuring.store(true, Ordering::SeqCst);
    let started = Instant::now();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::SeqCst);
    let elapsed = started.elapsed();

    let mut total = Tally::default();
    while let Some(tally) = workers.join_next().await {
        let tally = tally.expect("worker panicked");
        total.created += tally.created;
        total.errors += tally.errors;
        total.latencies_us.extend(tally.latencies_us);
    }
    total.latencies_us.sort_unstable();
    let percentile = |p: f64| {
        let index = ((total.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        total.latencies_us.get(index).copied().unwrap_or(0)
    };
    let users_created = mock.users().len() - users_before;
    println!(
        "applivery-mock throughput: {connections} keep-alive connections, {:.1} s measured (after {} s warm-up)",
        elapsed.as_secs_f64(),
        WARM_UP.as_secs()
    );
    println!(
        "  creates/s: {:.0}   (created {}, errors {})",
        total.created as f64 / elapsed.as_secs_f64(),
        total.created,
        total.errors
    );
    println!(
        "  latency: p50 {} us, p99 {} us, max {} us",
        percentile(0.50),
        percentile(0.99),
        total.latencies_us.last().copied().unwrap_or(0)
    );
    // Requests still in flight at the stop are counted by the server but not by the tally.
    println!(
        "  users stored by the mock during measurement (incl. in-flight at stop): {users_created}"
    );
    mock.shutdown().await;
    if total.errors > 0 {
        eprintln!("error: {} requests failed", total.errors);
        std::process::exit(1);
    }
}

/// One keep-alive connection creating unique users until told to stop.
async fn worker(
    addr: std::net::SocketAddr,
    connection: u64,
    measuring: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> Tally {
    let stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, driver) = http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(driver);
    let uri = format!("http://{addr}/v1/organizations/{DEFAULT_ORG}/oem/users");
    let authorization = format!("Bearer {DEFAULT_API_KEY}");
    let mut tally = Tally::default();
    let mut sequence = 0u64;
    while !stop.load(Ordering::Relaxed) {
        sequence += 1;
        let body = format!(
            r#"{{"email":"user-{connection}-{sequence}@example.com","firstName":"Bench","tags":["load"]}}"#
        );
        let request = Request::post(uri.as_str())
            .header("host", addr.to_string())
            .header("authorization", authorization.as_str())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let started = Instant::now();
        let outcome = async {
            sender.ready().await.ok()?;
            let response = sender.send_request(request).await.ok()?;
            let status = response.status();
            let body = response.into_body().collect().await.ok()?.to_bytes();
            (status == 200 && body.starts_with(b"{")).then_some(())
        }
        .await;
        if measuring.load(Ordering::Relaxed) {
            match outcome {
                Some(()) => {
                    tally.created += 1;
                    let micros = started.elapsed().as_micros().min(u128::from(u32::MAX));
                    tally.latencies_us.push(micros as u32);
                }
                None => tally.errors += 1,
            }
        }
        if outcome.is_none() && !sender.is_ready() && sender.is_closed() {
            break; // the connection is gone: every further request would fail too
        }
    }
    tally
}
