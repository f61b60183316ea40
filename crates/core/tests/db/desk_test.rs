//! The desk against a real database: what each view lists and counts, and live hints read
//! back before anything is believed.

use caredesk_core::db::issues;
use caredesk_core::desk::live::{self, IssueChanged};
use caredesk_core::desk::view::{self, Filters, Today, View, ViewQuery};
use caredesk_core::domain::{Priority, Status};
use chrono::{Duration, Utc};
use sqlx::PgPool;

use crate::helpers::{add, add_simple, form, set_status};

fn query(view: View, filters: Filters) -> ViewQuery {
    ViewQuery {
        view,
        filters,
        only: None,
        cursor: None,
        limit: None,
    }
}

fn today() -> Today {
    Today {
        starts_at: Utc::now() - Duration::hours(1),
    }
}

async fn listed(pool: &PgPool, query: &ViewQuery) -> (Vec<i64>, bool) {
    let mut conn = pool.acquire().await.unwrap();
    let page = view::page(&mut conn, query, today()).await.unwrap();
    (
        page.page.issues.iter().map(|i| i.id).collect(),
        page.contradictory,
    )
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn every_view_lists_what_it_counts(pool: PgPool) {
    let mut urgent = form("Olivia Brown", "olivia@example.com", "0151 23456789");
    urgent.priority = Some("urgent".into());
    let urgent_open = add(&pool, &urgent).await;
    let urgent_done = add(&pool, &urgent).await;
    let open = add_simple(&pool, "Open One").await;
    let taken = add_simple(&pool, "Taken One").await;
    set_status(&pool, urgent_done, "resolved").await;
    set_status(&pool, taken, "in-progress").await;

    let mut conn = pool.acquire().await.unwrap();
    let counts = view::counts(&mut conn, today()).await.unwrap();
    drop(conn);
    for count in counts {
        let (ids, _) = listed(&pool, &query(count.view, Filters::default())).await;
        assert_eq!(ids.len() as i64, count.count, "{:?}: {ids:?}", count.view);
    }
    assert_eq!(
        listed(&pool, &query(View::Urgent, Filters::default()))
            .await
            .0,
        [urgent_open]
    );
    assert_eq!(
        listed(&pool, &query(View::Open, Filters::default()))
            .await
            .0,
        [open, urgent_open]
    );
    assert_eq!(
        listed(&pool, &query(View::ResolvedToday, Filters::default()))
            .await
            .0,
        [urgent_done]
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn filters_narrow_a_view_and_contradictions_ask_nothing(pool: PgPool) {
    let amina = add(
        &pool,
        &form("Amina Yusuf", "amina@example.com", "0151 23456789"),
    )
    .await;
    add_simple(&pool, "Jonas Weber").await;
    let search = Filters {
        search: Some("  yusuf ".into()),
        ..Filters::default()
    };
    assert_eq!(
        listed(&pool, &query(View::Open, search)).await,
        (vec![amina], false)
    );
    let contradiction = Filters {
        status: Some(Status::Resolved),
        ..Filters::default()
    };
    assert_eq!(
        listed(&pool, &query(View::Open, contradiction)).await,
        (vec![], true)
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn one_issue_is_listed_only_while_it_belongs_to_the_view(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let only = ViewQuery {
        only: Some(id),
        ..query(View::Open, Filters::default())
    };
    assert_eq!(listed(&pool, &only).await.0, [id]);
    set_status(&pool, id, "in-progress").await;
    assert!(
        listed(&pool, &only).await.0.is_empty(),
        "it left the Open view"
    );
    let in_progress = ViewQuery {
        view: View::InProgress,
        ..only
    };
    assert_eq!(listed(&pool, &in_progress).await.0, [id]);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn hints_are_believed_only_as_far_as_the_database_confirms_them(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    // a new issue is what it is in the table, whatever the payload claimed
    let created = live::confirm_created(&mut *conn, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((created.id, created.priority), (id, Priority::Normal));
    for forged in [id + 1, i64::MAX, -1] {
        assert_eq!(
            live::confirm_created(&mut *conn, forged).await.unwrap(),
            None
        );
        assert_eq!(
            live::confirm_change(&mut *conn, forged).await.unwrap(),
            None
        );
    }
    // nobody changed it yet: a "changed" or "deleted" hint names nothing
    assert_eq!(live::confirm_change(&mut *conn, id).await.unwrap(), None);

    set_status(&pool, id, "resolved").await;
    assert_eq!(
        live::confirm_change(&mut *conn, id).await.unwrap(),
        Some(IssueChanged {
            id,
            deleted: false,
            by: "postgres".into(),
            said: Some(format!("Issue #{id}: postgres set status to resolved")),
        }),
        "a real change, by the login the timeline names"
    );
    let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
    issues::delete(&mut conn, id, seen).await.unwrap();
    assert_eq!(
        live::confirm_change(&mut *conn, id).await.unwrap(),
        Some(IssueChanged {
            id,
            deleted: true,
            by: "postgres".into(),
            said: Some(format!("Issue #{id}: postgres deleted the issue")),
        })
    );
}
