//! The dashboard list: filters, search in every spelling, keyset pages.

use std::collections::HashSet;

use caredesk_core::db::list::{self, IssueFilter};
use caredesk_core::domain::{Priority, Status};
use sqlx::PgPool;

use crate::helpers::{add, form};

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
