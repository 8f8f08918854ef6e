//! Facade overhead: `Client::create_oem_user` against raw reqwest posting the same body to the
//! same in-process mock. 20,000 sequential calls each (2,000 left the ratio wandering by ±3%),
//! interleaved in rounds (alternating which side goes first) so that drift on the shared
//! machine hits both equally. Both sides use the same reqwest client (same pool, same
//! keep-alive connection).
//!
//! Run with `cargo xtask bench facade` (or `cargo bench -p applivery --bench overhead`).
//! Target: facade / raw <= 1.05.

use std::time::{Duration, Instant};

use applivery::{Client, NewOemUser, RetryPolicy};
use applivery_api::types::CreateOemUserResponse;
use applivery_mock::{DEFAULT_API_KEY, DEFAULT_ORG, MockConfig, MockServer};

const CALLS: usize = 20_000;
const ROUND: usize = 100;
const WARMUP: usize = 200;

fn main() {
    // The mock runs on its own runtime thread, as a separate server would.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let mock = server_runtime
        .block_on(MockServer::start(MockConfig::default()))
        .expect("mock");
    let base_url = mock.base_url();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let raw = Raw::new(&base_url);
    // Both sides share one reqwest client, hence one connection pool and one keep-alive
    // connection: the comparison then measures the facade, not which connection was faster.
    let facade = Client::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(&base_url)
        .retry_policy(RetryPolicy::none())
        .http_client(raw.http.clone())
        .build()
        .expect("facade client");

    let mut next = 0usize;
    let mut user = || {
        next += 1;
        NewOemUser::new(format!("bench{next}@example.com"))
            .first_name("Bench")
            .last_name("Mark")
            .tags(["bench"])
    };

    runtime.block_on(async {
        for _ in 0..WARMUP {
            facade
                .create_oem_user(DEFAULT_ORG, user())
                .await
                .expect("warm-up");
            raw.create(user()).await;
        }
        let mut facade_times = Vec::with_capacity(CALLS);
        let mut raw_times = Vec::with_capacity(CALLS);
        for round in 0..CALLS / ROUND {
            for side in [round % 2, 1 - round % 2] {
                for _ in 0..ROUND {
                    let user = user();
                    let started = Instant::now();
                    if side == 0 {
                        facade
                            .create_oem_user(DEFAULT_ORG, user)
                            .await
                            .expect("facade call");
                        facade_times.push(started.elapsed());
                    } else {
                        raw.create(user).await;
                        raw_times.push(started.elapsed());
                    }
                }
            }
        }
        report(&facade_times, &raw_times);
    });
    cpu_only(&mut user);
    drop(mock);
}

/// What a caller without the facade would write: post the JSON, read and decode the answer.
struct Raw {
    http: reqwest::Client,
    url: String,
    authorization: String,
}

impl Raw {
    fn new(base_url: &str) -> Self {
        Raw {
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("raw client"),
            url: format!("{base_url}/v1/organizations/{DEFAULT_ORG}/oem/users"),
            authorization: format!("Bearer {DEFAULT_API_KEY}"),
        }
    }

    async fn create(&self, user: NewOemUser) {
        let body = serde_json::to_vec(&user.to_wire()).expect("body");
        let response = self
            .http
            .post(&self.url)
            .header("authorization", &self.authorization)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .header("user-agent", "raw-reqwest")
            .body(body)
            .send()
            .await
            .expect("raw send");
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.expect("raw body");
        let decoded: CreateOemUserResponse = serde_json::from_slice(&bytes).expect("raw decode");
        std::hint::black_box(decoded);
    }
}

/// The facade's own work without I/O (validation, encoding, classification into the facade
/// types) against what the raw caller does (encoding, decoding), to show where overhead could
/// come from.
fn cpu_only(user: &mut impl FnMut() -> NewOemUser) {
    const N: u32 = 20_000;
    let answer = serde_json::json!({"status": true, "data": {"collaborator": {
        "id": "6b07cad3a024824c3a4b810f", "organization": "demo-org", "role": "user",
        "tags": ["bench"], "detected": {}, "createdBy": "api-key",
        "createdAt": "2026-11-26T05:59:47.554Z", "updatedAt": "2026-11-26T05:59:47.554Z",
        "oemSecret": "0123456789abcdef",
        "user": {"id": "6b07cad320445ade9c265559", "email": "bench@example.com",
                 "firstName": "Bench", "lastName": "Mark", "role": "user", "ssoUser": false}}}});
    let answer = serde_json::to_vec(&answer).unwrap();
    let users: Vec<NewOemUser> = (0..N).map(|_| user()).collect();

    let started = Instant::now();
    for user in &users {
        applivery::validate_request(DEFAULT_ORG, user).unwrap();
        let body = serde_json::to_vec(&user.to_wire()).unwrap();
        std::hint::black_box(body);
        std::hint::black_box(applivery::sans_io::classify(200, None, &answer).unwrap());
    }
    let facade = started.elapsed() / N;
    let started = Instant::now();
    for user in &users {
        let body = serde_json::to_vec(&user.to_wire()).unwrap();
        std::hint::black_box(body);
        let decoded: CreateOemUserResponse = serde_json::from_slice(&answer).unwrap();
        std::hint::black_box(decoded);
    }
    let raw = started.elapsed() / N;
    println!(
        "  CPU only (no I/O): facade {:.2} us/call, raw {:.2} us/call, difference {:.2} us",
        facade.as_secs_f64() * 1e6,
        raw.as_secs_f64() * 1e6,
        (facade.as_secs_f64() - raw.as_secs_f64()) * 1e6
    );
}

fn report(facade: &[Duration], raw: &[Duration]) {
    let mean = |times: &[Duration]| times.iter().sum::<Duration>() / times.len() as u32;
    let median = |times: &[Duration]| {
        let mut sorted = times.to_vec();
        sorted.sort_unstable();
        sorted[sorted.len() / 2]
    };
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let (facade_mean, raw_mean) = (mean(facade), mean(raw));
    let (facade_median, raw_median) = (median(facade), median(raw));
    println!("facade overhead: {CALLS} sequential calls each, interleaved in rounds of {ROUND}");
    println!(
        "  facade create_oem_user: mean {:8.1} us/call, median {:8.1} us/call",
        micros(facade_mean),
        micros(facade_median)
    );
    println!(
        "  raw reqwest POST:       mean {:8.1} us/call, median {:8.1} us/call",
        micros(raw_mean),
        micros(raw_median)
    );
    println!(
        "  ratio facade/raw: mean {:.3}, median {:.3} (target <= 1.05)",
        facade_mean.as_secs_f64() / raw_mean.as_secs_f64(),
        facade_median.as_secs_f64() / raw_median.as_secs_f64()
    );
}
