//! The mailer against a real SMTP server on loopback: confirmations and responses reach
//! the customer once, in their language, with their status link; a server that is down
//! delays mail without losing it; a refused address is given up, not retried forever.

use std::time::Duration;

use caredesk_core::db::{IssueUpdate, issues};
use caredesk_core::domain::{Response, Status};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{TestServer, valid_report};
use crate::smtp::{SmtpSink, free_port};

const WAIT: Duration = Duration::from_secs(15);

fn german_report(email: &str) -> serde_json::Value {
    let mut report = valid_report();
    report["email"] = json!(email);
    report["language"] = json!("de");
    report
}

/// The status link a report's answer gave the customer.
fn status_url(answer: &serde_json::Value) -> String {
    answer["status_url"].as_str().unwrap().to_owned()
}

async fn outbox(pool: &PgPool) -> Vec<(String, i32, bool, bool, Option<String>)> {
    sqlx::query_as(
        "SELECT kind, attempts, sent_at IS NOT NULL, failed_at IS NOT NULL, last_error
           FROM customer_care_outbox ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn timeline_kinds(pool: &PgPool, id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM customer_care_event WHERE issue_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done().await {
        assert!(started.elapsed() < WAIT, "waited too long for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_report_and_its_response_reach_the_customer_once_in_their_language(pool: PgPool) {
    let smtp = SmtpSink::start(free_port(), &[]);
    let server =
        TestServer::start_mailing(&pool, &format!("smtp://127.0.0.1:{}", smtp.port), |_| {}).await;
    let (status, _, answer) = server.report(&german_report("amina@example.com")).await;
    assert_eq!(status, 201);
    let id = answer["issue_id"].as_i64().unwrap();
    let link = status_url(&answer);
    assert!(
        link.starts_with("https://care.shop.example/customer-care/status/"),
        "{link}"
    );

    let received = smtp.wait_for(1, WAIT).await;
    assert_eq!(received.len(), 1);
    let confirmation = &received[0];
    assert_eq!(confirmation.to, ["amina@example.com"]);
    assert_eq!(
        confirmation.subject,
        format!("Wir haben Ihre Meldung erhalten (Anliegen #{id})")
    );
    assert!(
        confirmation.text.contains("Hallo Amina Yusuf,"),
        "{}",
        confirmation.text
    );
    assert!(
        confirmation.text.contains("24 Stunden"),
        "{}",
        confirmation.text
    );
    // the link in the email is a fresh one of the same issue: both open it
    let emailed_link = confirmation
        .text
        .lines()
        .find(|l| l.starts_with("https://care.shop.example/customer-care/status/"))
        .expect("the status link in the text")
        .trim()
        .to_owned();
    let token = emailed_link.rsplit('/').next().unwrap();
    assert!(confirmation.html.contains(token), "and in the HTML");
    for link in [&link, &emailed_link] {
        let path = link.trim_start_matches("https://care.shop.example");
        let page = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
    }
    assert_eq!(
        confirmation.from, "Lumen & Loom <care@lumen-loom.example>",
        "sent as the shop"
    );

    // an agent answers and asks for it to be emailed
    let issue = issues::get_by_id(&pool, id).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let (_, emailed) = issues::update_emailing(
        &mut conn,
        id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: Some(Status::InProgress),
            priority: None,
            response: Some(
                Response::parse("Ihr Ersatz ist unterwegs. <b>Danke</b> für Ihre Geduld!").unwrap(),
            ),
            email: true,
        },
    )
    .await
    .unwrap();
    assert!(emailed.is_some(), "the change says it queued the email");
    let received = smtp.wait_for(2, WAIT).await;
    let response = &received[1];
    assert_eq!(
        response.subject,
        format!("Unsere Antwort zu Ihrem Anliegen #{id}")
    );
    assert!(
        response.text.contains("<b>Danke</b>"),
        "the text body as written"
    );
    assert!(
        response.html.contains("&lt;b&gt;Danke"),
        "the HTML body escapes it"
    );
    assert!(!response.html.contains("<b>Danke</b>"));

    // each once, and on the timeline; the tokens are not kept once sent
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 2);
    let rows = outbox(&pool).await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|(_, attempts, sent, failed, _)| *attempts == 1 && *sent && !*failed),
        "{rows:?}"
    );
    let tokens_kept: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM customer_care_outbox WHERE link_token IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tokens_kept, 0);
    let kinds = timeline_kinds(&pool, id).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "emailed").count(),
        2,
        "{kinds:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn without_the_agents_say_so_nothing_is_emailed(pool: PgPool) {
    let smtp = SmtpSink::start(free_port(), &[]);
    let server =
        TestServer::start_mailing(&pool, &format!("smtp://127.0.0.1:{}", smtp.port), |_| {}).await;
    let (_, _, answer) = server.report(&valid_report()).await;
    let id = answer["issue_id"].as_i64().unwrap();
    smtp.wait_for(1, WAIT).await;
    let issue = issues::get_by_id(&pool, id).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let (_, emailed) = issues::update_emailing(
        &mut conn,
        id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: Some(Status::Resolved),
            priority: None,
            response: Some(Response::parse("A note for the file.").unwrap()),
            email: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(emailed, None);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1, "only the confirmation");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn mail_waits_while_the_smtp_server_is_down_and_goes_out_once_later(pool: PgPool) {
    let port = free_port();
    let server =
        TestServer::start_mailing(&pool, &format!("smtp://127.0.0.1:{port}"), |_| {}).await;
    let (status, _, answer) = server.report(&valid_report()).await;
    assert_eq!(status, 201, "the report does not wait for mail");
    let id = answer["issue_id"].as_i64().unwrap();
    until("a failed try", async || {
        outbox(&pool)
            .await
            .first()
            .is_some_and(|(_, attempts, ..)| *attempts >= 1)
    })
    .await;
    let (_, _, sent, failed, error) = outbox(&pool).await.remove(0);
    assert!(!sent && !failed, "kept for later");
    assert!(error.is_some_and(|e| !e.is_empty()));

    let smtp = SmtpSink::start(port, &[]);
    let received = smtp.wait_for(1, WAIT).await;
    assert_eq!(received.len(), 1);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.received().len(), 1, "once");
    let kinds = timeline_kinds(&pool, id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "emailed").count(), 1);
    assert!(
        !kinds.contains(&"email_failed".to_owned()),
        "a delay is no failure: {kinds:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_refused_address_is_given_up_at_once_and_the_timeline_says_why(pool: PgPool) {
    let smtp = SmtpSink::start(free_port(), &["--refuse", "gone@example.com"]);
    let server =
        TestServer::start_mailing(&pool, &format!("smtp://127.0.0.1:{}", smtp.port), |_| {}).await;
    let mut report = valid_report();
    report["email"] = json!("gone@example.com");
    let (_, _, answer) = server.report(&report).await;
    let id = answer["issue_id"].as_i64().unwrap();
    until("the failure", async || {
        outbox(&pool)
            .await
            .first()
            .is_some_and(|(_, _, _, failed, _)| *failed)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, attempts, sent, _, error) = outbox(&pool).await.remove(0);
    assert_eq!((attempts, sent), (1, false), "tried once, never again");
    assert!(
        error
            .as_deref()
            .unwrap_or_default()
            .contains("mailbox unavailable"),
        "{error:?}"
    );
    let failure: serde_json::Value = sqlx::query_scalar(
        "SELECT detail FROM customer_care_event WHERE issue_id = $1 AND kind = 'email_failed'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        failure["error"]
            .as_str()
            .unwrap()
            .contains("mailbox unavailable"),
        "{failure}"
    );
    assert!(smtp.received().is_empty());
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn two_servers_send_each_email_once(pool: PgPool) {
    let smtp = SmtpSink::start(free_port(), &[]);
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let first = TestServer::start_mailing(&pool, &url, |_| {}).await;
    let _second = TestServer::start_mailing(&pool, &url, |_| {}).await;
    for n in 0..12 {
        let mut report = valid_report();
        report["email"] = json!(format!("customer{n}@example.com"));
        assert_eq!(first.report(&report).await.0, 201);
    }
    let received = smtp.wait_for(12, WAIT).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut recipients: Vec<String> = smtp.received().into_iter().flat_map(|m| m.to).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(received.len(), 12);
    assert_eq!(smtp.received().len(), 12, "none twice");
    assert_eq!(recipients.len(), 12);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn over_starttls_with_a_login_the_password_goes_encrypted_to_a_verified_server(pool: PgPool) {
    let tls = crate::tls::material();
    let smtp = SmtpSink::start(
        free_port(),
        &[
            "--tls",
            tls.cert.to_str().unwrap(),
            tls.key.to_str().unwrap(),
            "--auth",
            "shop",
            "s3cret",
        ],
    );
    let ca = std::fs::read(&tls.ca).unwrap();
    let url = format!("smtp://shop:s3cret@localhost:{}?tls=required", smtp.port);
    let server = TestServer::start_mailing(&pool, &url, |settings| {
        settings.mail.as_mut().unwrap().ca_certificate = Some(ca);
    })
    .await;
    assert_eq!(server.report(&valid_report()).await.0, 201);
    let received = smtp.wait_for(1, WAIT).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].login.as_deref(), Some("shop"));

    // without the shop's CA the server is not trusted, and nothing is sent
    let other = SmtpSink::start(
        free_port(),
        &[
            "--tls",
            tls.cert.to_str().unwrap(),
            tls.key.to_str().unwrap(),
            "--auth",
            "shop",
            "s3cret",
        ],
    );
    sqlx::query("DELETE FROM customer_care_outbox")
        .execute(&pool)
        .await
        .unwrap();
    drop(server);
    let url = format!("smtp://shop:s3cret@localhost:{}?tls=required", other.port);
    let _untrusting = TestServer::start_mailing(&pool, &url, |_| {}).await;
    let (_, _, answer) = _untrusting.report(&valid_report()).await;
    assert!(answer["issue_id"].is_i64());
    until("a refused handshake", async || {
        outbox(&pool)
            .await
            .first()
            .is_some_and(|(_, attempts, ..)| *attempts >= 1)
    })
    .await;
    let (_, _, sent, _, error) = outbox(&pool).await.remove(0);
    assert!(!sent);
    assert!(
        error
            .unwrap_or_default()
            .to_lowercase()
            .contains("certificate"),
        "says why"
    );
    assert!(other.received().is_empty());
}
