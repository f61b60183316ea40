//! The public service on the internet: one IPv6 network is one client, other websites
//! cannot post the form (the shop's own can, and get CORS), and slow clients cannot take
//! the service from everyone else.

use std::time::{Duration, Instant};

use caredesk_server::origin::AllowedOrigins;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestServer, stored, valid_report};

const SHOP: &str = "https://shop.example";

/// The valid report as the no-JavaScript form posts it.
fn form_body() -> String {
    let report = valid_report();
    let field = |name: &str| report[name].as_str().unwrap_or_default().to_owned();
    let pairs = [
        "name",
        "email",
        "phone",
        "issue_type",
        "description",
        "order_id",
    ]
    .map(|name| format!("{name}={}", urlencode(&field(name))));
    pairs.join("&")
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn one_ipv6_network_is_one_client_and_mapped_addresses_are_their_ipv4(pool: PgPool) {
    let server = TestServer::start_behind_proxy(&pool, Some(1), &["127.0.0.1/32"]).await;
    let report = valid_report();
    let mut answers = Vec::new();
    for client in [
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff::99",
        "[2001:db8:1:3::1]:443",
        "::ffff:203.0.113.9",
        "203.0.113.9:5555",
    ] {
        answers.push(server.report_forwarded_for(&report, client).await);
    }
    assert_eq!(answers, [201, 429, 201, 201, 429]);
    assert_eq!(stored(&pool).await, 3);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn another_website_cannot_post_the_form_and_the_shops_own_can(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.allowed_origins = AllowedOrigins::parse(SHOP).unwrap();
    })
    .await;
    let post = |origin: &'static str, site: &'static str| {
        server
            .client
            .post(server.url("/customer-care"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .header("sec-fetch-site", site)
            .body(form_body())
            .send()
    };
    let evil = post("https://evil.example", "cross-site").await.unwrap();
    let evil_status = evil.status().as_u16();
    let evil_page = evil.text().await.unwrap();
    let json_from_evil = server
        .client
        .post(server.url("/api/customer-care/report"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .json(&valid_report())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(stored(&pool).await, 0, "nothing from another website");
    let shop = post(SHOP, "cross-site").await.unwrap().status().as_u16();
    let ours = post("http://ignored.example", "same-origin")
        .await
        .unwrap()
        .status()
        .as_u16();

    assert_eq!(evil_status, 403);
    assert!(evil_page.contains("only from this page"), "{evil_page}");
    assert_eq!(json_from_evil, 403);
    assert_eq!((shop, ours), (200, 200));
    assert_eq!(stored(&pool).await, 2);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_api_answers_cors_for_exactly_the_shops_sites(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.allowed_origins = AllowedOrigins::parse(SHOP).unwrap();
    })
    .await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(
                reqwest::Method::OPTIONS,
                server.url("/api/customer-care/report"),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight(SHOP).await.unwrap();
    let other = preflight("https://evil.example").await.unwrap();
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some(SHOP)
    );
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

/// `n` clients that start a report and then stall, mid-body.
async fn stalled_reports(address: &str, n: usize) -> Vec<TcpStream> {
    let mut stalled = Vec::new();
    for _ in 0..n {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream
            .write_all(
                format!(
                    "POST /api/customer-care/report HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{{\"name\": \"Sl"
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        stalled.push(stream);
    }
    stalled
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn slow_clients_time_out_and_others_are_served_meanwhile(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.request_timeout = Duration::from_secs(2);
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    // forty clients that start a report and then stall, mid-body
    let stalled = stalled_reports(&address, 40).await;
    let started = Instant::now();
    let (status, _, _) = server.report(&valid_report()).await;
    let served_in = started.elapsed();
    assert_eq!(status, 201);
    assert!(
        served_in < Duration::from_secs(2),
        "a normal report waited {served_in:?}"
    );
    assert_eq!(server.health().await, 200);

    // the stalled ones are answered 408 once their time is up, and stored nothing
    let mut timed_out = 0;
    for mut stream in stalled {
        let mut answer = vec![0u8; 64];
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer)).await;
        let status = match read {
            Ok(Ok(n)) => String::from_utf8_lossy(&answer[..n]).into_owned(),
            _ => String::new(),
        };
        if status.starts_with("HTTP/1.1 408") {
            timed_out += 1;
        }
    }
    assert_eq!(timed_out, 40);
    assert_eq!(stored(&pool).await, 1);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn reports_go_in_while_an_agent_idles_in_a_transaction_and_a_lock_means_503_not_a_hang(
    pool: PgPool,
) {
    use sqlx::Connection;
    let server = TestServer::start(&pool, None).await;
    for _ in 0..16 {
        assert_eq!(server.report(&valid_report()).await.0, 201);
    }
    // an agent changes an issue of every counter slot and forgets to commit
    let mut agent = sqlx::PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::raw_sql(
        "BEGIN; SET ROLE caredesk_agent; UPDATE customer_care SET status = 'in-progress'",
    )
    .execute(&mut agent)
    .await
    .unwrap();
    let mut slowest = Duration::ZERO;
    for _ in 0..16 {
        let started = Instant::now();
        assert_eq!(server.report(&valid_report()).await.0, 201);
        slowest = slowest.max(started.elapsed());
    }
    sqlx::raw_sql("ROLLBACK").execute(&mut agent).await.unwrap();
    assert!(
        slowest < Duration::from_secs(1),
        "a report waited {slowest:?}"
    );

    // should anything hold what a report needs, the customer hears so within seconds
    let mut owner = sqlx::PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE customer_care IN EXCLUSIVE MODE")
        .execute(&mut owner)
        .await
        .unwrap();
    let started = Instant::now();
    let (status, headers, _) = server.report(&valid_report()).await;
    let waited = started.elapsed();
    sqlx::raw_sql("ROLLBACK").execute(&mut owner).await.unwrap();
    assert_eq!(status, 503);
    assert!(headers.contains_key("retry-after"));
    assert!(
        waited < Duration::from_secs(5),
        "the customer waited {waited:?}"
    );
    assert_eq!(stored(&pool).await, 32);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn only_the_shops_own_sites_may_frame_the_pages(pool: PgPool) {
    let framing = |server: &TestServer| {
        let url = server.url("/customer-care");
        let client = server.client.clone();
        async move {
            let page = client.get(url).send().await.unwrap();
            let header = |name: &str| {
                page.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            (
                header("content-security-policy").unwrap(),
                header("x-frame-options"),
            )
        }
    };
    let alone = TestServer::start_as_intake(&pool, |_| {}).await;
    let (csp, frame_options) = framing(&alone).await;
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(frame_options.as_deref(), Some("DENY"));

    let embedded = TestServer::start_as_intake(&pool, |settings| {
        settings.allowed_origins = AllowedOrigins::parse(SHOP).unwrap();
    })
    .await;
    let (csp, frame_options) = framing(&embedded).await;
    assert!(csp.contains(&format!("frame-ancestors {SHOP}")), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(frame_options, None, "X-Frame-Options cannot name a site");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn past_the_limit_of_requests_at_once_the_service_answers_503_at_once(pool: PgPool) {
    let server = TestServer::start_as_intake(&pool, |settings| {
        settings.max_concurrent_requests = 3;
        settings.request_timeout = Duration::from_secs(30);
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let stalled = stalled_reports(&address, 3).await;
    // the stalled requests hold every place once their headers are read
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let (status, headers, body) = server.report(&valid_report()).await;
    let answered_in = started.elapsed();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["success"], false, "in the API's error shape");
    assert!(headers.get("retry-after").is_some());
    assert!(
        answered_in < Duration::from_secs(2),
        "the refusal waited {answered_in:?}"
    );
    drop(stalled);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.report(&valid_report()).await.0, 201, "served again");
    assert_eq!(stored(&pool).await, 1);
}
