//! Merging a duplicate into the kept issue: nothing is lost (also while someone is saving
//! either issue), the merge is on the timeline naming who merged, the merged issue's link
//! shows the kept issue (the same customer's only), and refusals change nothing.

use std::time::Duration;

use caredesk_core::Error;
use caredesk_core::db::issues::{self, Reported};
use caredesk_core::db::merge::{self, MERGE_FIELD, OTHER_CUSTOMER_FIELD};
use caredesk_core::db::{IssueUpdate, events, history};
use caredesk_core::desk::timeline::Change;
use caredesk_core::domain::Status;
use caredesk_core::domain::text::{Description, Note, Response};
use caredesk_core::status;
use sqlx::{Connection, PgConnection, PgPool};

use crate::helpers::{as_role, connect_as, drop_login, form, login, new_issue, set_status};

async fn report(pool: &PgPool, name: &str, email: &str, phone: &str) -> Reported {
    issues::report(pool, &new_issue(&form(name, email, phone)))
        .await
        .unwrap()
}

async fn respond(db: &mut PgConnection, id: i64, text: &str) -> Result<issues::Issue, Error> {
    let seen = issues::get_by_id(&mut *db, id).await?.updated_at;
    issues::update(
        db,
        id,
        &IssueUpdate {
            seen,
            status: None,
            priority: None,
            response: Some(Response::parse(text).unwrap()),
            email: false,
        },
    )
    .await
}

fn refused_on(error: Error, field: &str) -> String {
    match error {
        Error::Invalid(errors) => errors
            .get(field)
            .unwrap_or_else(|| panic!("no {field} error in {errors}"))[0]
            .to_string(),
        other => panic!("expected a refusal on {field}, got {other:?}"),
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_merge_keeps_every_response_message_and_note_and_the_link_shows_the_kept_issue(
    pool: PgPool,
) {
    let kept = report(&pool, "Amina Yusuf", "amina@example.com", "0151 23456789").await;
    let merged = report(&pool, "Amina", "AMINA@example.com", "030 901820").await;
    let agent = login(&pool, "t_merge_keeps", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;
    // the merged issue lives its own life first: a response, a note, the customer's message
    respond(&mut as_agent, merged.id, "We are looking into it.")
        .await
        .unwrap();
    events::add_note(
        &mut as_agent,
        merged.id,
        &Note::parse("Same parcel as the other one").unwrap(),
    )
    .await
    .unwrap();
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let message = Description::parse_message("Any news? I wrote before.").unwrap();
    status::write(&mut intake, &merged.status_token, 90, Some(&message), &[])
        .await
        .unwrap();
    let before: Vec<_> = events::timeline(&mut as_agent, merged.id).await.unwrap();

    let done = merge::merge(&mut as_agent, merged.id, kept.id, false)
        .await
        .unwrap();
    assert!(done.same_customer, "the same email in other letters");

    let issue = issues::get_by_id(&mut as_agent, merged.id).await.unwrap();
    assert_eq!(
        (issue.status, issue.merged_into),
        (Status::Resolved, Some(kept.id))
    );
    let timeline = events::timeline(&mut as_agent, kept.id).await.unwrap();
    // every event of the merged issue is there, with its own time and author
    for event in &before {
        let found = timeline
            .iter()
            .find(|e| e.id == event.id)
            .unwrap_or_else(|| panic!("{} is not on the kept timeline", event.summary));
        assert_eq!(
            (found.issue_id, found.at, &found.actor),
            (merged.id, event.at, &event.actor)
        );
    }
    let quotes: Vec<&str> = timeline.iter().filter_map(|e| e.quote.as_deref()).collect();
    for words in [
        "My parcel has not arrived after two weeks.",
        "We are looking into it.",
        "Same parcel as the other one",
        "Any news? I wrote before.",
    ] {
        assert!(quotes.contains(&words), "{words:?} in {quotes:?}");
    }
    let merge_event = timeline
        .iter()
        .find(|e| matches!(e.change, Change::Merged { into } if into == kept.id))
        .expect("the merge is on the timeline");
    assert_eq!(merge_event.actor, agent);
    assert_eq!(
        merge_event.summary,
        format!("{agent} merged #{} into #{}", merged.id, kept.id)
    );
    assert!(
        timeline
            .windows(2)
            .all(|w| (w[0].at, w[0].id) <= (w[1].at, w[1].id)),
        "oldest first"
    );
    // the possible-duplicate mark between them is settled
    assert!(
        history::duplicates(&mut as_agent, kept.id)
            .await
            .unwrap()
            .repeated_by
            .is_empty()
    );

    // the customer's link of the merged issue shows the kept one, and writes to it
    let view = status::view(&mut intake, &merged.status_token, 90)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((view.id, view.status), (kept.id, Status::Open));

    // the merged issue takes no more work: a save at its new version is refused, one at
    // the version seen before the merge is a conflict; nothing is saved either way
    let refused = respond(&mut as_agent, merged.id, "Another answer")
        .await
        .unwrap_err();
    assert!(
        refused_on(refused, "merged").contains(&format!("work on #{}", kept.id)),
        "says where to work"
    );
    let stale = issues::update(
        &mut as_agent,
        merged.id,
        &IssueUpdate {
            seen: before.last().unwrap().at - chrono::Duration::seconds(1),
            status: Some(Status::Open),
            priority: None,
            response: None,
            email: false,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(stale, Error::Conflict { .. }), "{stale:?}");
    let still = issues::get_by_id(&mut as_agent, merged.id).await.unwrap();
    assert_eq!(
        still.admin_response.as_deref(),
        Some("We are looking into it.")
    );
    assert_eq!(still.status, Status::Resolved);
    drop(as_agent);
    drop_login(&pool, &agent).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn two_customers_issues_are_merged_only_when_the_agent_confirms(pool: PgPool) {
    let kept = report(&pool, "Amina Yusuf", "amina@example.com", "0151 23456789").await;
    let other = report(&pool, "Jonas Weber", "jonas@example.com", "0170 5550123").await;
    let agent = login(&pool, "t_merge_other", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;

    let refused = merge::merge(&mut as_agent, other.id, kept.id, false)
        .await
        .unwrap_err();
    assert!(refused_on(refused, OTHER_CUSTOMER_FIELD).contains("different customers"));
    let untouched = issues::get_by_id(&mut as_agent, other.id).await.unwrap();
    assert_eq!(
        (untouched.status, untouched.merged_into),
        (Status::Open, None)
    );

    let done = merge::merge(&mut as_agent, other.id, kept.id, true)
        .await
        .unwrap();
    assert!(!done.same_customer);
    // Jonas's link never shows Amina's issue: it shows his own, resolved as merged
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let view = status::view(&mut intake, &other.status_token, 90)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((view.id, view.status), (other.id, Status::Resolved));
    // when Jonas writes again, his merged issue stays resolved and the kept one reopens;
    // agents read his message on the kept issue's timeline
    set_status(&pool, kept.id, "resolved").await;
    let message = Description::parse_message("It is still broken.").unwrap();
    status::write(&mut intake, &other.status_token, 90, Some(&message), &[])
        .await
        .unwrap();
    let merged = issues::get_by_id(&mut as_agent, other.id).await.unwrap();
    let reopened = issues::get_by_id(&mut as_agent, kept.id).await.unwrap();
    assert_eq!(
        (merged.status, reopened.status),
        (Status::Resolved, Status::Open)
    );
    let timeline = events::timeline(&mut as_agent, kept.id).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.issue_id == other.id && e.quote.as_deref() == Some("It is still broken."))
    );
    drop(as_agent);
    drop_login(&pool, &agent).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn refusals_say_why_and_a_merged_issues_merges_follow_it(pool: PgPool) {
    let a = report(&pool, "Amina", "amina@example.com", "0151 23456789")
        .await
        .id;
    let b = report(&pool, "Amina", "amina@example.com", "0151 23456789")
        .await
        .id;
    let c = report(&pool, "Amina", "amina@example.com", "0151 23456789")
        .await
        .id;
    let agent = login(&pool, "t_merge_refusals", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;

    let itself = merge::merge(&mut as_agent, a, a, false).await.unwrap_err();
    assert!(refused_on(itself, MERGE_FIELD).contains("into itself"));
    let missing = merge::merge(&mut as_agent, a, 999_999, false)
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::NotFound(999_999)), "{missing:?}");

    merge::merge(&mut as_agent, a, b, false).await.unwrap();
    let again = merge::merge(&mut as_agent, a, c, false).await.unwrap_err();
    assert!(refused_on(again, MERGE_FIELD).contains(&format!("already merged into #{b}")));
    let into_merged = merge::merge(&mut as_agent, c, a, false).await.unwrap_err();
    assert!(refused_on(into_merged, MERGE_FIELD).contains(&format!("merge into #{b} instead")));

    // b goes into c: what was merged into b now belongs to c, so c's timeline is whole
    merge::merge(&mut as_agent, b, c, false).await.unwrap();
    let first = issues::get_by_id(&mut as_agent, a).await.unwrap();
    assert_eq!(first.merged_into, Some(c));
    let issue_ids: std::collections::BTreeSet<i64> = events::timeline(&mut as_agent, c)
        .await
        .unwrap()
        .iter()
        .map(|e| e.issue_id)
        .collect();
    assert_eq!(issue_ids, [a, b, c].into_iter().collect());
    // an agent may not set merged_into by hand: only the function merges
    let by_hand = sqlx::query("UPDATE customer_care SET merged_into = $1 WHERE id = $2")
        .bind(a)
        .bind(c)
        .execute(&mut as_agent)
        .await;
    assert!(
        by_hand.is_err(),
        "agents change only what their grants name"
    );
    drop(as_agent);
    drop_login(&pool, &agent).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_merge_waits_for_a_save_in_flight_on_either_issue_and_keeps_it(pool: PgPool) {
    let kept = report(&pool, "Amina", "amina@example.com", "0151 23456789")
        .await
        .id;
    let merged = report(&pool, "Amina", "amina@example.com", "0151 23456789")
        .await
        .id;
    let saver = login(&pool, "t_merge_saver", "caredesk_agent").await;
    let merger = login(&pool, "t_merge_merger", "caredesk_agent").await;

    for saving in [merged, kept] {
        let mut as_saver = connect_as(&pool, &saver).await;
        let mut tx = as_saver.begin().await.unwrap();
        let text = format!("Saved on #{saving} while the merge waited");
        sqlx::query("UPDATE customer_care SET admin_response = $2 WHERE id = $1")
            .bind(saving)
            .bind(&text)
            .execute(&mut *tx)
            .await
            .unwrap();
        // the merge starts while the save's transaction is open
        let options = (*pool.connect_options()).clone().username(&merger);
        let (from, into) = if saving == merged {
            (merged, kept)
        } else {
            (kept, merged)
        };
        let merging = tokio::spawn(async move {
            let mut as_merger = PgConnection::connect_with(&options).await.unwrap();
            merge::merge(&mut as_merger, from, into, false).await
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            !merging.is_finished(),
            "the merge waits for the save's row lock"
        );
        tx.commit().await.unwrap();
        merging.await.unwrap().unwrap();

        let mut as_merger = connect_as(&pool, &merger).await;
        let timeline = events::timeline(&mut as_merger, into).await.unwrap();
        assert!(
            timeline
                .iter()
                .any(|e| e.quote.as_deref() == Some(text.as_str())),
            "the response saved during the merge is on the kept timeline"
        );
        assert_eq!(
            issues::get_by_id(&mut as_merger, saving)
                .await
                .unwrap()
                .admin_response
                .as_deref(),
            Some(text.as_str())
        );
        if saving == merged {
            // undo for the second round: a fresh pair, the other way round
            sqlx::query(
                "UPDATE customer_care SET merged_into = NULL, status = 'open' WHERE id = $1",
            )
            .bind(merged)
            .execute(&pool)
            .await
            .unwrap();
        }
    }
    drop_login(&pool, &saver).await;
    drop_login(&pool, &merger).await;
}
