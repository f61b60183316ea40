//! What the database itself enforces, with the code bypassed, and what it announces.

use caredesk_core::Error;
use caredesk_core::db::issues;
use caredesk_core::desk::live::{ISSUE_CHANGED_CHANNEL, ISSUE_CHANNEL};
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::helpers::{add_simple, form, new_issue, rows, set_status};

/// Calls the intake function with raw values, as a client bypassing core's parsers would.
async fn raw_insert(pool: &PgPool, overrides: &[(&str, &str)]) -> Result<i64, Error> {
    let mut v = std::collections::HashMap::from([
        ("name", "Amina".to_owned()),
        ("email", "amina@example.com".to_owned()),
        ("phone", "0151 23456789".to_owned()),
        ("e164", "+4915123456789".to_owned()),
        ("issue_type", "quality".to_owned()),
        ("description", "The strap broke on day one.".to_owned()),
        ("priority", "normal".to_owned()),
    ]);
    for (key, value) in overrides {
        v.insert(key, (*value).to_owned());
    }
    let id: i64 = sqlx::query_scalar(
        "SELECT issue_id FROM caredesk_report_issue($1, $2, $3, $4, NULL, $5, $6, $7, 'en')",
    )
    .bind(&v["name"])
    .bind(&v["email"])
    .bind(&v["phone"])
    .bind(&v["e164"])
    .bind(&v["issue_type"])
    .bind(&v["description"])
    .bind(&v["priority"])
    .fetch_one(pool)
    .await?;
    Ok(id)
}

fn invalid_field(result: Result<i64, Error>) -> String {
    match result {
        Err(Error::Invalid(errors)) => errors.fields().collect::<Vec<_>>().join(","),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_database_refuses_unknown_values_blanks_and_overlong_text(pool: PgPool) {
    assert!(
        raw_insert(&pool, &[]).await.is_ok(),
        "the baseline row is valid"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("issue_type", "lost")]).await),
        "issue_type"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("priority", "asap")]).await),
        "priority"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("name", "   ")]).await),
        "name"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("email", "not-an-email")]).await),
        "email"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("phone", " ")]).await),
        "phone"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("e164", "0151")]).await),
        "phone"
    );
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("description", "")]).await),
        "description"
    );
    let long_description = "d".repeat(5001);
    assert_eq!(
        invalid_field(raw_insert(&pool, &[("description", &long_description)]).await),
        "description"
    );
    let long_name = "n".repeat(256);
    assert!(matches!(
        raw_insert(&pool, &[("name", &long_name)]).await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(rows(&pool).await, 1, "only the valid row was stored");

    let bad_status = sqlx::query("UPDATE customer_care SET status = 'closed'")
        .execute(&pool)
        .await;
    assert!(matches!(
        bad_status.map_err(Error::from),
        Err(Error::Invalid(_))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn hostile_text_is_stored_exactly_as_written(pool: PgPool) {
    let mut report = form(
        "Robert'); DROP TABLE customer_care;--",
        "bobby@example.com",
        "0151 23456789",
    );
    report.description = Some("<img src=x onerror=alert(1)> مرحبا 👋 \u{202E}reversed".into());
    let id = issues::add(&pool, &new_issue(&report)).await.unwrap();
    let stored = issues::get_by_id(&pool, id).await.unwrap();
    assert_eq!(stored.name, "Robert'); DROP TABLE customer_care;--");
    assert_eq!(
        stored.description,
        "<img src=x onerror=alert(1)> مرحبا 👋 \u{202E}reversed"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_insert_notifies_listeners_with_id_priority_and_type(pool: PgPool) {
    let mut listener = PgListener::connect_with(&pool).await.unwrap();
    listener.listen(ISSUE_CHANNEL).await.unwrap();
    let id = add_simple(&pool, "Amina").await;
    let note = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv())
        .await
        .unwrap()
        .unwrap();
    let payload: serde_json::Value = serde_json::from_str(note.payload()).unwrap();
    assert_eq!(
        payload,
        serde_json::json!({"id": id, "priority": "normal", "issue_type": "not_received"})
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn updates_and_deletes_notify_with_id_and_the_login_that_changed_it(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let login: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut listener = PgListener::connect_with(&pool).await.unwrap();
    listener.listen(ISSUE_CHANGED_CHANNEL).await.unwrap();
    let mut next_payload = async || {
        let note = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv())
            .await
            .expect("a notification within 5 s")
            .unwrap();
        serde_json::from_str::<serde_json::Value>(note.payload()).unwrap()
    };
    set_status(&pool, id, "resolved").await;
    assert_eq!(
        next_payload().await,
        serde_json::json!({"id": id, "deleted": false, "by": login})
    );
    sqlx::query("DELETE FROM customer_care WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        next_payload().await,
        serde_json::json!({"id": id, "deleted": true, "by": login})
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn updated_at_is_kept_by_the_database(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let before = issues::get_by_id(&pool, id).await.unwrap().updated_at;
    sqlx::query("UPDATE customer_care SET priority = 'high' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(issues::get_by_id(&pool, id).await.unwrap().updated_at > before);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn search_uses_the_trigram_indexes(pool: PgPool) {
    // Plans depend on statistics; turning sequential scans off asks whether an index *can*
    // serve the query, which is what the schema must guarantee.
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("SET enable_seqscan = off")
        .execute(&mut *conn)
        .await
        .unwrap();
    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN SELECT id FROM customer_care
          WHERE name ILIKE '%amina%' OR email ILIKE '%amina%' OR phone_digits LIKE '%1512345%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let plan = plan.join("\n");
    for index in [
        "customer_care_name_trgm_idx",
        "customer_care_email_trgm_idx",
        "customer_care_phone_digits_trgm_idx",
    ] {
        assert!(plan.contains(index), "{index} not used:\n{plan}");
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_kept_counts_match_a_recount_through_every_kind_of_change(pool: PgPool) {
    use caredesk_core::db::{IssueUpdate, issues};
    use caredesk_core::domain::{Priority, Status};
    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(add_simple(&pool, &format!("Customer {n}")).await);
    }
    let mut conn = pool.acquire().await.unwrap();
    for (n, id) in ids.iter().enumerate() {
        let seen = issues::get_by_id(&mut *conn, *id).await.unwrap().updated_at;
        let status = [None, Some(Status::InProgress), Some(Status::Resolved)][n % 3];
        let priority = [None, Some(Priority::Urgent)][n % 2];
        if status.is_some() || priority.is_some() {
            let change = IssueUpdate {
                seen,
                status,
                priority,
                response: None,
                email: false,
            };
            let updated = issues::update(&mut conn, *id, &change).await.unwrap();
            if updated.status == Status::Resolved && n % 4 == 0 {
                issues::delete(&mut conn, *id, updated.updated_at)
                    .await
                    .unwrap();
            }
        }
    }
    let kept = issues::count_row(&pool, chrono::Utc::now() - chrono::Duration::hours(1))
        .await
        .unwrap();
    let recount: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'in-progress'),
                count(*) FILTER (WHERE status <> 'resolved' AND priority = 'urgent'),
                count(*) FILTER (WHERE status = 'resolved'), count(*) FROM customer_care",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (
            kept.open,
            kept.in_progress,
            kept.urgent_unresolved,
            kept.resolved_since,
            kept.total
        ),
        recount
    );
    // the database's own recount agrees with the counters it kept
    sqlx::query("SELECT caredesk_recount_issues()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        issues::count_row(&pool, chrono::Utc::now() - chrono::Duration::hours(1))
            .await
            .unwrap(),
        kept
    );
}
