//! Internal notes: agents add them through the database's own function, which writes who
//! and when and tells the other desktops; they never reach the customer (status page,
//! email), keep the response's limits in the database too, and lose their words with the
//! issue.

use caredesk_core::db::{IssueUpdate, events, issues};
use caredesk_core::desk::live::ISSUE_CHANGED_CHANNEL;
use caredesk_core::desk::timeline::Change;
use caredesk_core::domain::text::{Note, RESPONSE_MAX_CHARS};
use caredesk_core::domain::{Description, Response, Status};
use caredesk_core::{Error, status};
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::helpers::{as_role, form, new_issue, set_status};

fn note(text: &str) -> Note {
    Note::parse(text).unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agents_note_is_on_the_timeline_marked_internal_and_heard_by_other_desktops(
    pool: PgPool,
) {
    let id = issues::add(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let before = issues::get_by_id(&pool, id).await.unwrap();
    let login: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut listener = PgListener::connect_with(&pool).await.unwrap();
    listener.listen(ISSUE_CHANGED_CHANNEL).await.unwrap();

    let mut agent = as_role(&pool, "caredesk_agent").await;
    events::add_note(&mut agent, id, &note("Courier says Tuesday."))
        .await
        .unwrap();

    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv())
        .await
        .expect("a notification within 5 s")
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(heard.payload()).unwrap(),
        serde_json::json!({"id": id, "deleted": false, "by": login})
    );
    let timeline = events::timeline(&pool, id).await.unwrap();
    let added = timeline.last().unwrap();
    assert_eq!(
        added.change,
        Change::Note {
            text: Some("Courier says Tuesday.".into())
        }
    );
    assert!(added.internal);
    assert_eq!(added.actor, login);
    assert_eq!(added.summary, format!("{login} added an internal note"));
    // a note is not a change of the issue: a save from the version seen before still works
    let after = issues::get_by_id(&pool, id).await.unwrap();
    assert_eq!(after.updated_at, before.updated_at);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_note_never_reaches_the_customer(pool: PgPool) {
    let reported = issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    // a mailer delivering, and the agent's transaction asking for email
    let mut mailer = as_role(&pool, "caredesk_mailer").await;
    caredesk_core::outbox::mailer_alive(&mut mailer)
        .await
        .unwrap();
    let queued_before: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut agent = as_role(&pool, "caredesk_agent").await;
    sqlx::query("SELECT set_config('caredesk.email', 'on', false)")
        .execute(&mut agent)
        .await
        .unwrap();
    events::add_note(
        &mut agent,
        reported.id,
        &note("Refund only after the photo; SECRET-42"),
    )
    .await
    .unwrap();
    // and a response, which the customer does see
    let issue = issues::get_by_id(&pool, reported.id).await.unwrap();
    issues::update(
        &mut agent,
        reported.id,
        &IssueUpdate {
            seen: issue.updated_at,
            status: Some(Status::InProgress),
            priority: None,
            response: Some(Response::parse("We are on it.").unwrap()),
            email: true,
        },
    )
    .await
    .unwrap();

    let mut intake = as_role(&pool, "caredesk_intake").await;
    let page = status::view(&mut intake, &reported.status_token, 90)
        .await
        .unwrap()
        .unwrap();
    let seen = format!("{page:?}");
    assert!(seen.contains("We are on it."), "{seen}");
    assert!(!seen.contains("SECRET-42"), "the note leaked: {seen}");
    let emails: Vec<String> = sqlx::query_scalar(
        "SELECT concat_ws(' ', kind, response) FROM customer_care_outbox WHERE issue_id = $1 ORDER BY id",
    )
    .bind(reported.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        emails.len() as i64,
        queued_before + 1,
        "only the response: {emails:?}"
    );
    assert!(
        emails.iter().all(|e| !e.contains("SECRET-42")),
        "{emails:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_database_refuses_bad_notes_and_logins_that_are_not_agents(pool: PgPool) {
    let id = issues::add(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let mut agent = as_role(&pool, "caredesk_agent").await;
    // past core's parser, straight to the function
    for text in ["   ".to_owned(), "x".repeat(RESPONSE_MAX_CHARS + 1)] {
        let refused = sqlx::query("SELECT caredesk_add_note($1, $2)")
            .bind(id)
            .bind(&text)
            .execute(&mut agent)
            .await
            .map_err(Error::from);
        assert!(
            matches!(refused, Err(Error::Invalid(ref fields)) if fields.get("note").is_some()),
            "{} characters: {refused:?}",
            text.len()
        );
    }
    assert!(matches!(
        events::add_note(&mut agent, id + 1000, &note("Lost?")).await,
        Err(Error::NotFound(missing)) if missing == id + 1000
    ));
    for role in ["caredesk_intake", "caredesk_mailer"] {
        let mut other = as_role(&pool, role).await;
        assert!(
            matches!(
                events::add_note(&mut other, id, &note("Hello")).await,
                Err(Error::PermissionDenied(_))
            ),
            "{role} must not add notes"
        );
    }
    let notes: i64 =
        sqlx::query_scalar("SELECT count(*) FROM customer_care_event WHERE kind = 'note'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(notes, 0, "nothing refused was stored");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn deleting_an_issue_forgets_the_words_of_its_notes_and_the_customers_messages(pool: PgPool) {
    let reported = issues::report(
        &pool,
        &new_issue(&form("Amina", "amina@example.com", "0151 23456789")),
    )
    .await
    .unwrap();
    let mut intake = as_role(&pool, "caredesk_intake").await;
    status::write(
        &mut intake,
        &reported.status_token,
        90,
        Some(&Description::parse_message("I am Amina, call me on 0151 23456789").unwrap()),
        &[],
    )
    .await
    .unwrap();
    events::add_note(&pool, reported.id, &note("Amina prefers a call"))
        .await
        .unwrap();
    set_status(&pool, reported.id, "resolved").await;
    sqlx::query("DELETE FROM customer_care WHERE id = $1")
        .bind(reported.id)
        .execute(&pool)
        .await
        .unwrap();
    let kept: String = sqlx::query_scalar(
        "SELECT string_agg(detail::text, ' ') FROM customer_care_event WHERE issue_id = $1",
    )
    .bind(reported.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        !kept.contains("Amina"),
        "personal words left behind: {kept}"
    );
    let timeline = events::timeline(&pool, reported.id).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.change == Change::Note { text: None }),
        "the note's trace stays, readable: {timeline:?}"
    );
}
