//! The seed's data functions: add, get, update, delete, counts, and the timeline they leave.

use caredesk_core::Error;
use caredesk_core::db::{IssueUpdate, events, issues};
use caredesk_core::desk::timeline::Change;
use caredesk_core::desk::view::{self, Today, View};
use caredesk_core::domain::{IssueType, Priority, Response, Status};
use chrono::{Duration, Utc};
use sqlx::PgPool;

use crate::helpers::{add, add_simple, form, rows};

fn set_status(seen: chrono::DateTime<Utc>, status: Status) -> IssueUpdate {
    IssueUpdate {
        seen,
        status: Some(status),
        priority: None,
        response: None,
        email: false,
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_added_issue_reads_back_with_every_field(pool: PgPool) {
    let mut report = form("Amina Yusuf", "amina@example.com", "0151 23456789");
    report.priority = Some("urgent".into());
    report.issue_type = Some("damaged".into());
    let id = add(&pool, &report).await;

    let issue = issues::get_by_id(&pool, id).await.unwrap();
    assert_eq!(issue.name, "Amina Yusuf");
    assert_eq!(issue.email, "amina@example.com");
    assert_eq!(issue.phone, "0151 23456789");
    assert_eq!(issue.phone_e164, "+4915123456789");
    assert_eq!(issue.order_id.as_deref(), Some("A-1001"));
    assert_eq!(issue.issue_type, IssueType::Damaged);
    assert_eq!(issue.priority, Priority::Urgent);
    assert_eq!(issue.status, Status::Open);
    assert_eq!(issue.admin_response, None);
    assert_eq!(issue.resolved_at, None);
    assert!(Utc::now() - issue.created_at < Duration::minutes(1));

    let timeline = events::timeline(&pool, id).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].change.kind(), "created");
    assert_eq!(timeline[0].actor, "postgres");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn getting_a_missing_issue_is_not_found(pool: PgPool) {
    assert!(matches!(
        issues::get_by_id(&pool, 4242).await,
        Err(Error::NotFound(4242))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn resolving_stamps_resolved_at_and_reopening_clears_it(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let before = issues::get_by_id(&mut *conn, id).await.unwrap();

    let response = Response::parse("We sent a replacement today.").unwrap();
    let change = IssueUpdate {
        seen: before.updated_at,
        status: Some(Status::Resolved),
        priority: None,
        response: Some(response),
        email: false,
    };
    let resolved = issues::update(&mut conn, id, &change).await.unwrap();
    assert_eq!(resolved.status, Status::Resolved);
    assert!(resolved.resolved_at.is_some());
    assert!(resolved.updated_at > before.updated_at);
    assert_eq!(
        resolved.admin_response.as_deref(),
        Some("We sent a replacement today.")
    );

    let reopened = issues::update(
        &mut conn,
        id,
        &set_status(resolved.updated_at, Status::Open),
    )
    .await
    .unwrap();
    assert_eq!(reopened.resolved_at, None);
    assert_eq!(
        reopened.admin_response.as_deref(),
        Some("We sent a replacement today."),
        "a status change keeps the response"
    );

    let kinds: Vec<String> = events::timeline(&pool, id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.change.kind().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "status_changed",
            "responded",
            "first_response",
            "status_changed"
        ]
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn priority_changes_are_recorded_with_from_and_to(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
    let change = IssueUpdate {
        seen,
        status: None,
        priority: Some(Priority::High),
        response: None,
        email: false,
    };
    assert_eq!(
        issues::update(&mut conn, id, &change)
            .await
            .unwrap()
            .priority,
        Priority::High
    );
    let timeline = events::timeline(&pool, id).await.unwrap();
    let last = timeline.last().unwrap();
    assert_eq!(
        last.change,
        Change::PriorityChanged {
            from: Priority::Normal,
            to: Priority::High
        }
    );
    assert_eq!(last.summary, "postgres set priority to high");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_stale_update_conflicts_says_what_changed_and_changes_nothing(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
    issues::update(&mut conn, id, &set_status(seen, Status::InProgress))
        .await
        .unwrap();

    let late = IssueUpdate {
        seen,
        status: Some(Status::Resolved),
        priority: None,
        response: Some(Response::parse("Done from the other desk").unwrap()),
        email: false,
    };
    let Err(conflict @ Error::Conflict { .. }) = issues::update(&mut conn, id, &late).await else {
        panic!("a stale update must conflict");
    };
    let Error::Conflict { changes, .. } = &conflict else {
        unreachable!()
    };
    assert_eq!(
        changes.iter().map(|e| &e.change).collect::<Vec<_>>(),
        [&Change::StatusChanged {
            from: Status::Open,
            to: Status::InProgress
        }]
    );
    let message = conflict.to_string();
    assert!(
        message.contains("postgres set status to in progress at"),
        "{message}"
    );
    assert!(message.contains("Nothing was saved"), "{message}");
    let now = issues::get_by_id(&mut *conn, id).await.unwrap();
    assert_eq!(now.status, Status::InProgress);
    assert_eq!(now.admin_response, None);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_update_that_changes_nothing_or_targets_nothing_is_refused(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
    let empty = IssueUpdate {
        seen,
        status: None,
        priority: None,
        response: None,
        email: false,
    };
    assert!(matches!(
        issues::update(&mut conn, id, &empty).await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        issues::update(&mut conn, 999, &set_status(seen, Status::Open)).await,
        Err(Error::NotFound(999))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn two_agents_saving_at_once_exactly_one_wins(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let seen = issues::get_by_id(&pool, id).await.unwrap().updated_at;
    let attempt = |status: Status| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut conn = pool.acquire().await.unwrap();
            issues::update(&mut conn, id, &set_status(seen, status)).await
        })
    };
    let (a, b) = (attempt(Status::InProgress), attempt(Status::Resolved));
    let results = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| matches!(r, Err(Error::Conflict { .. })))
            .count(),
        1,
        "{results:?}"
    );
    let status_events = events::timeline(&pool, id)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.change.kind() == "status_changed")
        .count();
    assert_eq!(status_events, 1);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn only_resolved_issues_can_be_deleted(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let open = issues::get_by_id(&mut *conn, id).await.unwrap();
    let refused = issues::delete(&mut conn, id, open.updated_at).await;
    assert!(
        matches!(
            refused,
            Err(Error::NotResolved {
                status: Status::Open,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        format!("Issue #{id} is open; only resolved issues can be deleted.")
    );

    // the database refuses too, whoever asks
    let direct = sqlx::query("DELETE FROM customer_care WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await;
    assert!(direct.is_err());
    assert_eq!(rows(&pool).await, 1);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn deleting_leaves_an_event_without_personal_data(pool: PgPool) {
    let id = add_simple(&pool, "Amina Yusuf").await;
    let mut conn = pool.acquire().await.unwrap();
    let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
    let change = IssueUpdate {
        seen,
        status: Some(Status::Resolved),
        priority: None,
        response: Some(Response::parse("Dear Amina Yusuf, we refunded amina@example.com").unwrap()),
        email: false,
    };
    let resolved = issues::update(&mut conn, id, &change).await.unwrap();

    // a stale delete conflicts
    assert!(matches!(
        issues::delete(&mut conn, id, seen).await,
        Err(Error::Conflict { .. })
    ));
    issues::delete(&mut conn, id, resolved.updated_at)
        .await
        .unwrap();
    assert!(matches!(
        issues::get_by_id(&pool, id).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        issues::delete(&mut conn, id, resolved.updated_at).await,
        Err(Error::NotFound(_))
    ));

    let timeline = events::timeline(&pool, id).await.unwrap();
    assert_eq!(timeline.last().unwrap().change.kind(), "deleted");
    let everything = serde_json::to_string(&timeline).unwrap();
    for personal in ["Amina", "amina@example.com", "0151", "4915123456789"] {
        assert!(
            !everything.contains(personal),
            "{personal} left in {everything}"
        );
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn each_view_has_its_count(pool: PgPool) {
    let mut urgent = form("Urgent", "u@example.com", "0151 23456789");
    urgent.priority = Some("urgent".into());
    let urgent_id = add(&pool, &urgent).await;
    add_simple(&pool, "Open").await;
    let done = add_simple(&pool, "Done").await;
    let mut conn = pool.acquire().await.unwrap();
    let seen = issues::get_by_id(&mut *conn, done)
        .await
        .unwrap()
        .updated_at;
    issues::update(&mut conn, done, &set_status(seen, Status::Resolved))
        .await
        .unwrap();
    let seen = issues::get_by_id(&mut *conn, urgent_id)
        .await
        .unwrap()
        .updated_at;
    issues::update(&mut conn, urgent_id, &set_status(seen, Status::InProgress))
        .await
        .unwrap();

    let counted = |starts_at| {
        let pool = pool.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            view::counts(&mut conn, Today { starts_at })
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.view, c.count))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        counted(Utc::now() - Duration::hours(1)).await,
        [
            (View::All, 3),
            (View::Open, 1),
            (View::InProgress, 1),
            (View::Urgent, 1),
            (View::ResolvedToday, 1),
            (View::Mine, 0),
            (View::Overdue, 0)
        ]
    );
    assert_eq!(
        counted(Utc::now() + Duration::hours(1)).await[4],
        (View::ResolvedToday, 0),
        "resolved before the agent's day began"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn many_concurrent_updates_lose_no_timeline_event(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let workers: Vec<_> = (0..8)
        .map(|worker| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let (mut applied, mut conflicts) = (0, 0);
                let mut conn = pool.acquire().await.unwrap();
                for round in 0..6 {
                    loop {
                        let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
                        let priority = [Priority::Normal, Priority::High, Priority::Urgent]
                            [(worker + round) % 3];
                        let response =
                            Response::parse(&format!("worker {worker} round {round}")).unwrap();
                        let change = IssueUpdate {
                            seen,
                            status: None,
                            priority: Some(priority),
                            response: Some(response),
                            email: false,
                        };
                        match issues::update(&mut conn, id, &change).await {
                            Ok(_) => {
                                applied += 1;
                                break;
                            }
                            Err(Error::Conflict { .. }) => conflicts += 1,
                            Err(other) => panic!("{other:?}"),
                        }
                    }
                }
                (applied, conflicts)
            })
        })
        .collect();
    let mut applied = 0;
    for worker in workers {
        applied += worker.await.unwrap().0;
    }
    assert_eq!(applied, 48);
    let timeline = events::timeline(&pool, id).await.unwrap();
    // every applied update changed the response, so each left exactly one "responded" event
    assert_eq!(
        timeline
            .iter()
            .filter(|e| e.change.kind() == "responded")
            .count(),
        applied
    );
    let last = issues::get_by_id(&pool, id).await.unwrap();
    let last_response = timeline
        .iter()
        .rev()
        .find(|e| e.change.kind() == "responded")
        .unwrap();
    assert_eq!(
        last_response.change,
        Change::Responded {
            response: last.admin_response
        }
    );
}
