//! The dashboard list: filters, search in every spelling, keyset pages.

use std::collections::HashSet;

use caredesk_core::db::list::{self, IssueFilter};
use caredesk_core::domain::{Priority, Status};
use sqlx::PgPool;

use crate::helpers::{add, add_simple, form, set_status};

async fn search(pool: &PgPool, term: &str) -> Vec<String> {
    let mut conn = pool.acquire().await.unwrap();
    let filter = IssueFilter {
        search: Some(term.into()),
        ..Default::default()
    };
    list::page(&mut conn, &filter, None, 50)
        .await
        .unwrap()
        .issues
        .into_iter()
        .map(|i| i.name)
        .collect()
}

async fn fixtures(pool: &PgPool) {
    add(
        pool,
        &form("Amina Yusuf", "amina@example.com", "0151-23456789"),
    )
    .await;
    add(pool, &form("Jonas Weber", "jw@shop.de", "+49 30 901820")).await;
    let mut british = form("Olivia Brown", "olivia_b@example.co.uk", "+44 20 7946 0958");
    british.priority = Some("urgent".into());
    add(pool, &british).await;
    add(
        pool,
        &form("Percent Man", "100%sure@example.com", "089 1234567"),
    )
    .await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn search_matches_name_and_email_fragments_in_any_case(pool: PgPool) {
    fixtures(&pool).await;
    assert_eq!(search(&pool, "yUSu").await, ["Amina Yusuf"]);
    assert_eq!(search(&pool, "shop.de").await, ["Jonas Weber"]);
    assert_eq!(search(&pool, "nobody-here").await, Vec::<String>::new());
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn search_finds_a_phone_typed_in_another_format(pool: PgPool) {
    fixtures(&pool).await;
    assert_eq!(
        search(&pool, "+49 151 2345").await,
        ["Amina Yusuf"],
        "international form finds the national one"
    );
    assert_eq!(search(&pool, "0151 234").await, ["Amina Yusuf"]);
    assert_eq!(
        search(&pool, "030 9018").await,
        ["Jonas Weber"],
        "national form finds the international one"
    );
    assert_eq!(search(&pool, "020 7946").await, ["Olivia Brown"]);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn like_wildcards_are_searched_literally(pool: PgPool) {
    fixtures(&pool).await;
    assert_eq!(search(&pool, "100%").await, ["Percent Man"]);
    assert_eq!(search(&pool, "%").await, ["Percent Man"]);
    assert_eq!(search(&pool, "olivia_b").await, ["Olivia Brown"]);
    assert_eq!(
        search(&pool, "'; DROP TABLE customer_care; --").await,
        Vec::<String>::new()
    );
    assert_eq!(crate::helpers::rows(&pool).await, 4);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn filters_combine_with_search(pool: PgPool) {
    fixtures(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let filter = IssueFilter {
        status: Some(Status::Open),
        priority: Some(Priority::Urgent),
        search: Some("example".into()),
        ..Default::default()
    };
    let names: Vec<String> = list::page(&mut conn, &filter, None, 50)
        .await
        .unwrap()
        .issues
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["Olivia Brown"]);
    let resolved = IssueFilter {
        status: Some(Status::Resolved),
        ..Default::default()
    };
    assert!(
        list::page(&mut conn, &resolved, None, 50)
            .await
            .unwrap()
            .issues
            .is_empty()
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn cursor_pages_visit_every_issue_once_newest_first(pool: PgPool) {
    for n in 0..23 {
        add(
            &pool,
            &form(
                &format!("Customer {n}"),
                &format!("c{n}@example.com"),
                "0151 23456789",
            ),
        )
        .await;
    }
    let mut conn = pool.acquire().await.unwrap();
    let filter = IssueFilter::default();
    let (mut seen, mut cursor, mut pages) = (Vec::new(), None, 0);
    loop {
        let page = list::page(&mut conn, &filter, cursor, 10).await.unwrap();
        pages += 1;
        seen.extend(page.issues.iter().map(|i| i.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 23);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        23,
        "no issue twice"
    );
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seen:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn page_size_is_bounded(pool: PgPool) {
    fixtures(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let page = list::page(&mut conn, &IssueFilter::default(), None, 0)
        .await
        .unwrap();
    assert_eq!(page.issues.len(), 1, "a page holds at least one issue");
    assert!(page.next.is_some());
}

async fn ids(pool: &PgPool, filter: &IssueFilter) -> Vec<i64> {
    let mut conn = pool.acquire().await.unwrap();
    list::page(&mut conn, filter, None, 50)
        .await
        .unwrap()
        .issues
        .into_iter()
        .map(|i| i.id)
        .collect()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_urgent_view_leaves_out_resolved_issues(pool: PgPool) {
    let mut urgent = form("Olivia Brown", "olivia@example.com", "0151 23456789");
    urgent.priority = Some("urgent".into());
    let open = add(&pool, &urgent).await;
    let taken = add(&pool, &urgent).await;
    let done = add(&pool, &urgent).await;
    add_simple(&pool, "Not Urgent").await;
    set_status(&pool, taken, "in-progress").await;
    set_status(&pool, done, "resolved").await;
    let view = IssueFilter {
        priority: Some(Priority::Urgent),
        unresolved: true,
        ..Default::default()
    };
    assert_eq!(ids(&pool, &view).await, [taken, open]);
    let resolved_and_unresolved = IssueFilter {
        status: Some(Status::Resolved),
        ..view
    };
    assert!(ids(&pool, &resolved_and_unresolved).await.is_empty());
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn resolved_since_lists_only_issues_resolved_after_that_time(pool: PgPool) {
    let earlier = add_simple(&pool, "Resolved Yesterday").await;
    let later = add_simple(&pool, "Resolved Today").await;
    let still_open = add_simple(&pool, "Still Open").await;
    set_status(&pool, earlier, "resolved").await;
    let since: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(&pool)
        .await
        .unwrap();
    set_status(&pool, later, "resolved").await;
    let view = IssueFilter {
        resolved_since: Some(since),
        ..Default::default()
    };
    assert_eq!(ids(&pool, &view).await, [later]);
    // reopening clears resolved_at, so the issue leaves the view
    set_status(&pool, later, "open").await;
    assert!(ids(&pool, &view).await.is_empty());
    assert!(!ids(&pool, &IssueFilter::default()).await.is_empty());
    let _ = still_open;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn created_after_returns_the_reports_a_listener_missed_newest_first(pool: PgPool) {
    use caredesk_core::db::issues;
    assert_eq!(issues::newest_id(&pool).await.unwrap(), 0);
    let seen = add_simple(&pool, "Seen Before").await;
    assert_eq!(issues::newest_id(&pool).await.unwrap(), seen);
    let first = add_simple(&pool, "Missed One").await;
    let announced = add_simple(&pool, "Announced Live").await;
    let last = add_simple(&pool, "Missed Two").await;
    let mut conn = pool.acquire().await.unwrap();
    let (missed, total) = issues::created_after(&mut conn, seen, &[announced], 10)
        .await
        .unwrap();
    let ids: Vec<i64> = missed.iter().map(|i| i.id).collect();
    assert_eq!(
        ids,
        [last, first],
        "newest first, without the one already seen"
    );
    assert_eq!(total, 2);
    let (newest_only, total) = issues::created_after(&mut conn, seen, &[], 1)
        .await
        .unwrap();
    assert_eq!(newest_only.iter().map(|i| i.id).collect::<Vec<_>>(), [last]);
    assert_eq!(total, 3, "the count covers what the limit leaves out");
    let (none, total) = issues::created_after(&mut conn, last, &[], 10)
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(total, 0);
}
