//! Knowing the customer: their other issues by email or phone, the list searched by order
//! id and issue number, and the shop's order page kept for the desktop.

use caredesk_core::db::history;
use caredesk_core::db::issues;
use caredesk_core::db::list::{self, IssueFilter};
use caredesk_core::db::shop::{self, ShopFacts};
use caredesk_core::domain::links::OrderLink;
use caredesk_core::domain::{Matched, Status};
use sqlx::PgPool;

use crate::helpers::{add, connect_as, drop_login, form, login, set_status};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_customers_other_issues_are_found_by_email_in_any_case_or_by_phone_in_any_spelling(
    pool: PgPool,
) {
    let first = add(
        &pool,
        &form("Amina Yusuf", "amina@example.com", "0151 23456789"),
    )
    .await;
    set_status(&pool, first, "resolved").await;
    // a new address, but the same phone typed the international way
    let by_phone = add(
        &pool,
        &form("Amina Y.", "amina.y@work.example", "+49 151 23456789"),
    )
    .await;
    // the same address in other letters, another phone
    let by_email = add(&pool, &form("Amina", "AMINA@Example.com", "030 901820")).await;
    let stranger = add(
        &pool,
        &form("Jonas Weber", "jonas@example.com", "0151 99999999"),
    )
    .await;

    let agent = login(&pool, "t_history_agent", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;
    let latest = issues::get_by_id(&mut as_agent, by_email).await.unwrap();
    let others = history::of_customer(&mut as_agent, &latest).await.unwrap();
    assert_eq!(
        others.iter().map(|o| o.id).collect::<Vec<_>>(),
        [first],
        "by email only: the phone-only issue has another address and another phone"
    );
    assert_eq!(others[0].status, Status::Resolved);
    assert_eq!(others[0].order_id.as_deref(), Some("A-1001"));

    let middle = issues::get_by_id(&mut as_agent, by_phone).await.unwrap();
    let ids: Vec<i64> = history::of_customer(&mut as_agent, &middle)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(ids, [first], "by the phone's E.164 form");

    let original = issues::get_by_id(&mut as_agent, first).await.unwrap();
    let ids: Vec<i64> = history::of_customer(&mut as_agent, &original)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        ids,
        [by_email, by_phone],
        "newest first, the issue itself left out"
    );

    let theirs = issues::get_by_id(&mut as_agent, stranger).await.unwrap();
    assert!(
        history::of_customer(&mut as_agent, &theirs)
            .await
            .unwrap()
            .is_empty()
    );
    drop(as_agent);
    drop_login(&pool, &agent).await;
}

async fn search(pool: &PgPool, term: &str) -> Vec<i64> {
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
        .map(|i| i.id)
        .collect()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_list_is_searched_by_order_id_and_by_issue_number(pool: PgPool) {
    let mut with_order = form("Amina Yusuf", "amina@example.com", "0151 23456789");
    with_order.order_id = Some("LL-2042".into());
    let amina = add(&pool, &with_order).await;
    let mut other_order = form("Jonas Weber", "jonas@example.com", "030 901820");
    other_order.order_id = Some("LL-7001".into());
    let jonas = add(&pool, &other_order).await;

    assert_eq!(
        search(&pool, "ll-2042").await,
        [amina],
        "order id, any case"
    );
    assert_eq!(
        search(&pool, "LL-").await,
        [jonas, amina],
        "a fragment of both"
    );
    assert_eq!(search(&pool, &format!("#{jonas}")).await, [jonas]);
    assert!(search(&pool, "#999999").await.is_empty());
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_shops_order_page_is_kept_for_agents_and_a_bad_one_is_never_used(pool: PgPool) {
    let agent = login(&pool, "t_order_agent", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;
    assert_eq!(shop::order_link(&mut as_agent).await.unwrap(), None);

    let link = OrderLink::parse("https://shop.example/admin/orders/{order_id}").unwrap();
    let facts = ShopFacts {
        name: "Lumen & Loom",
        public_url: None,
        order_link: Some(&link),
    };
    shop::set(&pool, &facts).await.unwrap();
    let kept = shop::order_link(&mut as_agent).await.unwrap().unwrap();
    assert_eq!(
        kept.for_order("LL 1"),
        "https://shop.example/admin/orders/LL%201"
    );

    // agents cannot change it
    let refused =
        sqlx::query("UPDATE caredesk_shop SET order_link = 'https://evil.example/{order_id}'")
            .execute(&mut as_agent)
            .await
            .unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );
    // the database refuses what is no web address; what slips past it is not used
    let not_web = sqlx::query("UPDATE caredesk_shop SET order_link = 'javascript:{order_id}'")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(
        not_web.to_string().contains("caredesk_shop_order_link_web"),
        "{not_web}"
    );
    sqlx::query("UPDATE caredesk_shop SET order_link = 'http://shop.example/{order_id}'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        shop::order_link(&mut as_agent).await.unwrap(),
        None,
        "plain http elsewhere"
    );
    drop(as_agent);
    drop_login(&pool, &agent).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_same_order_beats_a_newer_email_or_phone_and_otherwise_the_newest_match_is_named(
    pool: PgPool,
) {
    let with_order = |name: &str, email: &str, phone: &str, order: Option<&str>| {
        let mut report = form(name, email, phone);
        report.order_id = order.map(Into::into);
        report
    };
    let about_the_order = add(
        &pool,
        &with_order("Amina", "amina@example.com", "0151 11111111", Some("LL-7")),
    )
    .await;
    let same_person = add(
        &pool,
        &with_order("Amina Y.", "ay@work.example", "030 901820", None),
    )
    .await;
    // shares email and phone with the newer issue, but the order with the older one
    let order_wins = add(
        &pool,
        &with_order("A. Yusuf", "AY@work.example", "+49 30 901820", Some("LL-7")),
    )
    .await;
    // email and phone both match the newest issue: the stronger sign is named
    let both = add(
        &pool,
        &with_order("Amina", "ay@WORK.example", "030 901820", None),
    )
    .await;
    let phone_only = add(
        &pool,
        &with_order("Someone", "other@example.com", "030 901820", Some("LL-8")),
    )
    .await;

    let marks: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT issue_id, of_issue_id, matched FROM customer_care_duplicate ORDER BY issue_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        marks,
        [
            (order_wins, about_the_order, "order_id".to_owned()),
            (both, order_wins, "email".to_owned()),
            (phone_only, both, "phone".to_owned()),
        ],
        "{same_person} repeats nothing"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_report_like_an_open_issue_is_marked_as_a_possible_duplicate_both_ways(pool: PgPool) {
    let mut first = form("Amina Yusuf", "amina@example.com", "0151 23456789");
    first.order_id = Some("LL-1".into());
    let a = add(&pool, &first).await;
    let mut same_order = form("A. Yusuf", "ay@work.example", "030 901820");
    same_order.order_id = Some("LL-1".into());
    let b = add(&pool, &same_order).await;
    set_status(&pool, a, "resolved").await;
    // the same email as a, but a is resolved and b has another address: no mark
    let mut same_email = form("Amina", "AMINA@example.com", "089 1234567");
    same_email.order_id = None;
    let c = add(&pool, &same_email).await;
    // b's phone, typed the international way
    let mut same_phone = form("Someone", "someone@example.com", "+49 30 901820");
    same_phone.order_id = Some("LL-9".into());
    let d = add(&pool, &same_phone).await;

    let agent = login(&pool, "t_dup_agent", "caredesk_agent").await;
    let mut as_agent = connect_as(&pool, &agent).await;
    let mark = |id| {
        let pool = pool.clone();
        async move {
            issues::get_by_id(&pool, id)
                .await
                .unwrap()
                .possible_duplicate_of
        }
    };
    assert_eq!(
        (mark(a).await, mark(b).await, mark(c).await, mark(d).await),
        (None, Some(a), None, Some(b))
    );

    let of_b = history::duplicates(&mut as_agent, b).await.unwrap();
    let repeats = of_b.repeats.unwrap();
    assert_eq!((repeats.id, repeats.matched), (a, Matched::OrderId));
    assert_eq!(
        repeats.words,
        format!("Possibly a repeat of #{a} (the same order)")
    );
    assert_eq!(of_b.repeated_by.len(), 1);
    assert_eq!(
        (of_b.repeated_by[0].id, of_b.repeated_by[0].matched),
        (d, Matched::Phone)
    );
    assert_eq!(
        of_b.repeated_by[0].words,
        format!("#{d} may repeat this issue (the same phone number)")
    );
    // agents read the marks but cannot make or remove them
    let refused = sqlx::query("DELETE FROM customer_care_duplicate")
        .execute(&mut as_agent)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );

    // deleting the resolved issue takes its marks with it
    sqlx::query("DELETE FROM customer_care WHERE id = $1")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(mark(b).await, None);
    drop(as_agent);
    drop_login(&pool, &agent).await;
}
