//! /healthz and behaviour while the database is away: prompt 503s, never a hang.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::net::TcpListener;

use crate::helpers::{TestServer, valid_report};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn healthz_is_200_while_the_database_answers(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    server.stop().await;
}

/// A "database" that accepts connections and never says a word: the worst case for hangs.
async fn silent_database() -> (TcpListener, PgConnectOptions) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let options = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("nobody")
        .database("nothing");
    (listener, options)
}

#[tokio::test]
async fn with_a_silent_database_healthz_and_reports_answer_503_promptly() {
    let (_listener, options) = silent_database().await;
    let server = TestServer::start_with(options, None).await;

    let started = Instant::now();
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let (status, headers, body) = server.report(&valid_report()).await;
    assert_eq!(status, 503, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(body["success"], false);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn with_no_database_at_all_the_server_still_starts_and_says_so() {
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // closed again
    let options = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("nobody")
        .database("nothing");
    let server = TestServer::start_with(options, None).await;
    assert_eq!(
        server
            .client
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        503
    );
    assert_eq!(
        server
            .client
            .get(server.url("/customer-care"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200,
        "the page needs no database"
    );
    assert_eq!(server.report(&valid_report()).await.0, 503);
}
