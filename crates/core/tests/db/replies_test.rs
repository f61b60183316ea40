//! Saved replies against PostgreSQL: admins add, edit and delete them, agents only read and
//! insert them; placeholders are filled from the issue, the agent and the shop, and a status
//! link is a real one (only its hash kept) when the shop's public address is known.

use caredesk_core::Error;
use caredesk_core::db::replies::{self, ReplyDraft};
use caredesk_core::db::shop::{self, ShopFacts};
use sqlx::PgPool;

use crate::helpers::{add, connect_as, drop_login, form, login};

fn draft(title: &str, body: &str) -> ReplyDraft {
    ReplyDraft::parse(title, body).unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn admins_keep_the_library_and_agents_only_read_it(pool: PgPool) {
    let boss = login(&pool, "t_replies_boss", "caredesk_admin").await;
    let amina = login(&pool, "t_replies_amina", "caredesk_agent").await;
    let mut as_boss = connect_as(&pool, &boss).await;
    let mut as_amina = connect_as(&pool, &amina).await;

    let refund = replies::add(
        &mut as_boss,
        &draft("Refund on its way", "Hello {customer_name}"),
    )
    .await
    .unwrap();
    assert_eq!(refund.updated_by, boss);
    let Err(Error::Invalid(taken)) =
        replies::add(&mut as_boss, &draft("REFUND ON ITS WAY", "Again")).await
    else {
        panic!("a title twice, whatever its case, is refused")
    };
    assert!(taken.to_string().contains("title"), "{taken}");

    let refused = replies::add(&mut as_amina, &draft("Mine", "Text"))
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::PermissionDenied(_)), "{refused:?}");
    let refused = replies::delete(&mut as_amina, refund.id).await.unwrap_err();
    assert!(matches!(refused, Error::PermissionDenied(_)), "{refused:?}");
    assert_eq!(
        replies::list(&mut as_amina).await.unwrap(),
        std::slice::from_ref(&refund)
    );

    let edited = replies::update(
        &mut as_boss,
        refund.id,
        &draft("Refund sent", "Dear {customer_name}"),
    )
    .await
    .unwrap();
    assert_eq!(
        (edited.title.as_str(), edited.body.as_str()),
        ("Refund sent", "Dear {customer_name}")
    );
    assert!(edited.updated_at > refund.updated_at);
    replies::delete(&mut as_boss, refund.id).await.unwrap();
    let Err(Error::Invalid(gone)) = replies::delete(&mut as_boss, refund.id).await else {
        panic!("deleting twice says it is gone")
    };
    assert!(gone.to_string().contains("no longer exists"), "{gone}");
    assert!(replies::list(&pool).await.unwrap().is_empty());
    drop((as_boss, as_amina));
    drop_login(&pool, &boss).await;
    drop_login(&pool, &amina).await;
}

async fn shop_named(pool: &PgPool, public_url: Option<&str>) {
    let facts = ShopFacts {
        name: "Lumen & Loom",
        public_url,
        order_link: None,
    };
    shop::set(pool, &facts).await.unwrap();
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_filled_reply_names_the_customer_the_order_the_issue_the_agent_and_the_shop(
    pool: PgPool,
) {
    let amina = login(&pool, "t_fill_amina", "caredesk_agent").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    shop_named(&pool, None).await;
    let mut with_order = form("Amina Yusuf", "amina@example.com", "0151 23456789");
    with_order.order_id = Some("LL-1042".into());
    let id = add(&pool, &with_order).await;
    let mut no_order = form("Jonas Weber", "jonas@example.com", "0151 23456780");
    no_order.order_id = None;
    let without_order = add(&pool, &no_order).await;
    let text = "Dear {customer_name}, about order {order_id} (issue {issue_number}): {agent_name} of {shop_name}. {status_link}";
    let reply = replies::add(&pool, &draft("Everything", text))
        .await
        .unwrap();

    let filled = replies::fill(&mut as_amina, reply.id, id).await.unwrap();
    assert_eq!(
        filled.text,
        format!(
            "Dear Amina Yusuf, about order LL-1042 (issue #{id}): {amina} of Lumen & Loom. {{status_link}}"
        )
    );
    assert_eq!(
        filled.unfilled,
        ["{status_link}: the shop's public address is not configured (CAREDESK_PUBLIC_URL)"]
    );
    assert!(filled.said.contains("not sent yet"), "{}", filled.said);
    let links_before: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care_link")
        .fetch_one(&pool)
        .await
        .unwrap();

    // with the shop's address: a real link, kept as a hash only
    shop_named(&pool, Some("https://care.lumen.example")).await;
    let filled = replies::fill(&mut as_amina, reply.id, without_order)
        .await
        .unwrap();
    assert_eq!(filled.unfilled, ["{order_id}: this issue has no order id"]);
    let link = filled
        .text
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap()
        .to_owned();
    let token = link
        .strip_prefix("https://care.lumen.example/customer-care/status/")
        .expect("a status link");
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM customer_care_link WHERE token_hash = sha256(convert_to($1, 'UTF8')) AND issue_id = $2",
    )
    .bind(token)
    .bind(without_order)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "the link opens this issue's status page");
    let links_after: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care_link")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(links_after, links_before + 1);

    // a reply without {status_link} makes no link
    let plain = replies::add(&pool, &draft("Plain", "Hi {customer_name}"))
        .await
        .unwrap();
    replies::fill(&mut as_amina, plain.id, id).await.unwrap();
    let links_now: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_care_link")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(links_now, links_after);
    let Err(Error::NotFound(missing)) = replies::fill(&mut as_amina, plain.id, 999_999).await
    else {
        panic!("an unknown issue is not found")
    };
    assert_eq!(missing, 999_999);
    drop(as_amina);
    drop_login(&pool, &amina).await;
}
