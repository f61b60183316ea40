//! The customer's side in the database: status links kept only as hashes and answered by
//! definer functions for the public login; emails written to the outbox in the transaction
//! of what they announce, and only while a mailer delivers; the mailer's role reads and
//! updates the outbox and nothing else.

use caredesk_core::db::{IssueUpdate, issues};
use caredesk_core::domain::{Description, Response, Status};
use caredesk_core::status::{self, StatusToken};
use sqlx::{AssertSqlSafe, PgConnection, PgPool};

use crate::helpers::{as_role, form, new_issue};

async fn denied(conn: &mut PgConnection, sql: &str) -> bool {
    match sqlx::query(AssertSqlSafe(sql.to_owned()))
        .execute(&mut *conn)
        .await
    {
        Err(e) => e.as_database_error().and_then(|d| d.code()).as_deref() == Some("42501"),
        Ok(_) => false,
    }
}

async fn outbox_kinds(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM customer_care_outbox ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn mailer_delivering(pool: &PgPool) {
    let mut mailer = as_role(pool, "caredesk_mailer").await;
    caredesk_core::outbox::mailer_alive(&mut mailer)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_public_login_opens_an_issue_only_with_its_link(pool: PgPool) {
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let reported = issues::report(
        &mut intake,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    // only the hash is kept
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT token_hash FROM customer_care_link WHERE issue_id = $1")
            .bind(reported.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    use sha2::Digest;
    assert_eq!(
        stored,
        sha2::Sha256::digest(reported.status_token.as_str().as_bytes()).to_vec()
    );
    assert_eq!(reported.status_token.as_str().len(), 64, "256 random bits");

    let view = status::view(&mut intake, &reported.status_token, 90)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.id, reported.id);
    let other = StatusToken::parse(&"0".repeat(64)).unwrap();
    assert!(
        status::view(&mut intake, &other, 90)
            .await
            .unwrap()
            .is_none()
    );
    for sql in [
        "SELECT * FROM customer_care_link",
        "SELECT * FROM customer_care_outbox",
        "SELECT * FROM customer_care_satisfaction",
        "INSERT INTO customer_care_satisfaction (issue_id, solved) VALUES (1, true)",
    ] {
        assert!(denied(&mut intake, sql).await, "intake must not run: {sql}");
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_customers_view_leaves_out_agents_and_what_is_not_theirs(pool: PgPool) {
    let reported = issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let issue = issues::get_by_id(&pool, reported.id).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    issues::update(
        &mut conn,
        reported.id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: Some(Status::InProgress),
            priority: Some(caredesk_core::domain::Priority::High),
            response: Some(Response::parse("On its way.").unwrap()),
            email: false,
        },
    )
    .await
    .unwrap();
    let json: serde_json::Value = sqlx::query_scalar(
        "SELECT caredesk_status(token_hash, 90) FROM customer_care_link WHERE issue_id = $1",
    )
    .bind(reported.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let text = json.to_string();
    let agent: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!text.contains(&agent), "no agent login: {text}");
    assert!(
        !text.contains("priority"),
        "internal fields stay inside: {text}"
    );
    assert!(
        !text.contains("amina@example.com"),
        "the contact details are not repeated: {text}"
    );
    assert!(text.contains("On its way."));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn emails_are_queued_with_what_they_announce_and_only_while_a_mailer_delivers(pool: PgPool) {
    // no mailer: nothing piles up
    let first = issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    assert!(outbox_kinds(&pool).await.is_empty());
    assert!(!issues::mail_available(&pool).await.unwrap());

    mailer_delivering(&pool).await;
    assert!(issues::mail_available(&pool).await.unwrap());
    let second = issues::report(
        &pool,
        &new_issue(&form("Jonas", "jonas@example.com", "030 901820")),
    )
    .await
    .unwrap();
    assert_eq!(outbox_kinds(&pool).await, ["confirmation"]);

    // a response the agent wants emailed, and one that fails: the failed one queues nothing
    let issue = issues::get_by_id(&pool, second.id).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let stale = IssueUpdate {
        seen: issue.updated_at - chrono::Duration::seconds(1),
        status: None,
        priority: None,
        response: Some(Response::parse("Lost reply").unwrap()),
        email: true,
    };
    assert!(
        issues::update_emailing(&mut conn, second.id, &stale)
            .await
            .is_err()
    );
    assert_eq!(
        outbox_kinds(&pool).await,
        ["confirmation"],
        "nothing from a refused change"
    );
    let (_, emailed) = issues::update_emailing(
        &mut conn,
        second.id,
        &IssueUpdate {
            seen: issue.updated_at,
            response: Some(Response::parse("On its way.").unwrap()),
            ..stale
        },
    )
    .await
    .unwrap();
    assert_eq!(emailed.map(|k| k.as_str()), Some("response"));
    // resolving the first one without a response sends the resolution note
    let issue = issues::get_by_id(&pool, first.id).await.unwrap();
    let (_, emailed) = issues::update_emailing(
        &mut conn,
        first.id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: Some(Status::Resolved),
            priority: None,
            response: None,
            email: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(emailed.map(|k| k.as_str()), Some("resolved"));
    assert_eq!(
        outbox_kinds(&pool).await,
        ["confirmation", "response", "resolved"]
    );
    // a later save in the same session does not inherit "emailed"
    let issue = issues::get_by_id(&pool, first.id).await.unwrap();
    let (_, emailed) = issues::update_emailing(
        &mut conn,
        first.id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: None,
            priority: Some(caredesk_core::domain::Priority::High),
            response: None,
            email: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(emailed, None);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_mailer_reads_and_updates_the_outbox_and_nothing_else(pool: PgPool) {
    mailer_delivering(&pool).await;
    issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let mut mailer = as_role(&pool, "caredesk_mailer").await;
    let mut tx = sqlx::Connection::begin(&mut mailer).await.unwrap();
    let email = caredesk_core::outbox::take_due(&mut tx)
        .await
        .unwrap()
        .expect("the confirmation");
    assert!(email.link_token.is_some());
    caredesk_core::outbox::sent(&mut tx, email.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for sql in [
        "SELECT * FROM customer_care",
        "SELECT * FROM customer_care_event",
        "SELECT * FROM customer_care_link",
        "DELETE FROM customer_care_outbox",
        "INSERT INTO customer_care_outbox (issue_id, kind, recipient, customer_name, language, issue_type) VALUES (1, 'response', 'x@example.com', 'x', 'en', 'other')",
        "UPDATE customer_care_outbox SET recipient = 'someone@else.example'",
        "UPDATE customer_care SET status = 'resolved'",
    ] {
        assert!(
            denied(&mut mailer, sql).await,
            "the mailer must not run: {sql}"
        );
    }
    // its delivery is on the timeline, by the mailer
    let (actor, kind): (String, String) =
        sqlx::query_as("SELECT actor, kind FROM customer_care_event WHERE kind = 'emailed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((actor.as_str(), kind.as_str()), ("mailer", "emailed"));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_customer_message_has_the_reports_limits_in_the_database_too(pool: PgPool) {
    let reported = issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let fine = Description::parse_message("Any news about my parcel?").unwrap();
    assert_eq!(
        status::write(&mut intake, &reported.status_token, 90, Some(&fine), &[])
            .await
            .unwrap(),
        Some(reported.id)
    );
    // straight to the function, past core's checks: the database refuses too
    let hash: Vec<u8> =
        sqlx::query_scalar("SELECT token_hash FROM customer_care_link WHERE issue_id = $1")
            .bind(reported.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    for text in ["   ".to_owned(), "x".repeat(5001)] {
        let refused = sqlx::query("SELECT caredesk_customer_message($1, 90, $2)")
            .bind(&hash)
            .bind(&text)
            .execute(&mut intake)
            .await;
        assert!(refused.is_err(), "{} characters", text.len());
    }
}
