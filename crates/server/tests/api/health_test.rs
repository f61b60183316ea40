//! /healthz and behaviour while the database is away: prompt 503s, never a hang.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::net::TcpListener;

use crate::helpers::{TestServer, valid_report};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn healthz_is_200_while_the_database_answers(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    assert_eq!(server.health().await, 200);
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
    assert_eq!(server.health().await, 503);
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
    assert_eq!(server.health().await, 503);
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

/// Forwards connections to `target` once `open` is set; refuses them before.
async fn gate_to(target: (String, u16)) -> (u16, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let open = std::sync::Arc::new(AtomicBool::new(false));
    let gate = open.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            if !gate.load(Ordering::SeqCst) {
                drop(client); // like a database that is not up yet
                continue;
            }
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut upstream) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    (port, open)
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_server_recovers_by_itself_when_the_database_comes_back(pool: PgPool) {
    let options = (*pool.connect_options()).clone();
    let (port, open) = gate_to((options.get_host().to_owned(), options.get_port())).await;
    let server = TestServer::start_with(
        options.port(port).options([("role", "caredesk_intake")]),
        None,
    )
    .await;

    assert_eq!(server.health().await, 503);
    assert_eq!(server.report(&valid_report()).await.0, 503);

    open.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut status = 0;
    for _ in 0..50 {
        status = server.health().await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "healthz after the database came back");
    assert_eq!(server.report(&valid_report()).await.0, 201);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the report made while the database was up");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn stopping_the_server_lets_a_report_in_flight_finish(pool: PgPool) {
    let server = TestServer::start(&pool, None).await;
    // Hold the table so the report's insert waits inside the server.
    let mut blocker = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE customer_care IN EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let client = server.client.clone();
    let url = server.url("/api/customer-care/report");
    let in_flight =
        tokio::spawn(async move { client.post(url).json(&valid_report()).send().await });
    // wait until the insert is really waiting on the lock
    for _ in 0..100 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stopping = tokio::spawn(server.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !stopping.is_finished(),
        "the server must wait for the report in flight"
    );
    blocker.commit().await.unwrap();

    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status().as_u16(), 201);
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .unwrap()
        .unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}
