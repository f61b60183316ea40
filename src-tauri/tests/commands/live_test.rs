//! Live changes: a NOTIFY is only a hint. Forged ones (an id that does not exist, a huge
//! id, a "deleted" for an issue nobody touched, an issue older than the sign-in, a payload
//! that is not JSON) change nothing, and the real report and change after them still arrive.

use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{TestApp, add_issue, agent_login, drop_login, eventually, listening};

async fn notify(pool: &PgPool, channel: &str, payload: &str) {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await
        .expect("notified");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn forged_notifications_change_nothing_and_real_ones_still_arrive(pool: PgPool) {
    let agent = agent_login(&pool, "t_desk_live", false).await;
    let before_sign_in = add_issue(&pool, "Known Before", "urgent").await;
    let app = TestApp::new();
    let created = app.events("issue-created");
    let changed = app.events("issue-changed");
    app.sign_in(&pool, &agent).expect("signed in");
    let subscribed = listening(&pool, &agent).await;

    let forged = [
        (
            "caredesk_issue",
            json!({"id": i64::MAX, "priority": "urgent", "issue_type": "damaged"}).to_string(),
        ),
        (
            "caredesk_issue",
            json!({"id": before_sign_in + 1000, "priority": "urgent", "issue_type": "damaged"})
                .to_string(),
        ),
        (
            "caredesk_issue",
            json!({"id": before_sign_in, "priority": "urgent", "issue_type": "damaged"})
                .to_string(),
        ),
        ("caredesk_issue", "not json".to_owned()),
        (
            "caredesk_issue_changed",
            json!({"id": before_sign_in, "deleted": true, "by": "mallory"}).to_string(),
        ),
        (
            "caredesk_issue_changed",
            json!({"id": 424242, "deleted": true, "by": "mallory"}).to_string(),
        ),
        (
            "caredesk_issue_changed",
            json!({"id": i64::MAX, "deleted": false, "by": "mallory"}).to_string(),
        ),
    ];
    for (channel, payload) in &forged {
        notify(&pool, channel, payload).await;
    }
    let real = add_issue(&pool, "After The Forgeries", "urgent").await;
    sqlx::query("UPDATE customer_care SET status = 'in-progress' WHERE id = $1")
        .bind(before_sign_in)
        .execute(&pool)
        .await
        .expect("a real change");
    let arrived =
        eventually(|| !created.lock().unwrap().is_empty() && !changed.lock().unwrap().is_empty())
            .await;
    // anything forged would have come before the real ones; give stragglers a moment
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    drop(app);
    drop_login(&pool, &agent).await;

    assert!(subscribed, "the listener never LISTENed");
    assert!(
        arrived,
        "the real report and change did not arrive: created {:?}, changed {:?}",
        created.lock().unwrap(),
        changed.lock().unwrap()
    );
    assert_eq!(
        *created.lock().unwrap(),
        vec![json!({"id": real, "priority": "urgent", "issue_type": "damaged"})],
        "only the real report"
    );
    // a forged hint for an issue that really changed meanwhile is read back as that real
    // change: a second refresh of the same truth, which is harmless
    let mut changes = changed.lock().unwrap().clone();
    changes.dedup();
    assert_eq!(
        changes,
        vec![json!({
            "id": before_sign_in, "deleted": false, "by": "postgres",
            "said": format!("Issue #{before_sign_in}: postgres set status to in progress"),
        })],
        "only the real change, by the login that made it"
    );
}
