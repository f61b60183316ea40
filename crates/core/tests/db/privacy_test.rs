//! Privacy requests: an admin exports everything about one customer and erases it; nothing
//! personal remains in any table, the counts stay right, the timelines keep an anonymous
//! trace, and every request is audited. Nobody but an admin may do either.

use caredesk_core::Error;
use caredesk_core::db::{IssueUpdate, events, issues, merge};
use caredesk_core::desk::timeline::Change;
use caredesk_core::domain::text::{Description, Note, Response};
use caredesk_core::privacy::{self, CustomerKey};
use caredesk_core::status;
use sqlx::{AssertSqlSafe, PgPool};

use crate::helpers::{as_role, connect_as, de, drop_login, form, login, new_issue};

/// Every table of the schema whose text (any column) contains `needle`.
async fn tables_holding(pool: &PgPool, needle: &str) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(table_name) FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut holding = Vec::new();
    for table in tables {
        let sql =
            format!("SELECT count(*) FROM public.{table} t WHERE t::text ILIKE '%' || $1 || '%'");
        let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(needle)
            .fetch_one(pool)
            .await
            .unwrap();
        if count > 0 {
            holding.push(table);
        }
    }
    holding
}

async fn counts_match_rows(pool: &PgPool) -> bool {
    let kept: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT status::text, priority::text, sum(issues)::bigint FROM customer_care_count
          GROUP BY 1, 2 HAVING sum(issues) <> 0 ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let counted: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT status::text, priority::text, count(*) FROM customer_care GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    kept == counted
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_admin_exports_and_erases_a_customer_and_nothing_personal_remains(pool: PgPool) {
    // a mailer is delivering, so the emails to the customer are queued in the outbox
    caredesk_core::outbox::mailer_alive(&mut as_role(&pool, "caredesk_mailer").await)
        .await
        .unwrap();
    // the customer wrote twice (once with another address, the same phone), got a response
    // by email, answered from the status page; an agent noted something and merged them
    let mut first_form = form(
        "Zelda Privatperson",
        "zelda.private@example.com",
        "0151 7777 1234",
    );
    first_form.description = Some("My Zelda-vase from Zeldastrasse 5 broke.".into());
    first_form.order_id = Some("ZP-4711".into());
    let first = issues::report(&pool, &new_issue(&first_form))
        .await
        .unwrap();
    let second = issues::report(
        &pool,
        &new_issue(&form(
            "Zelda P.",
            "zelda.other@example.com",
            "+49 151 77771234",
        )),
    )
    .await
    .unwrap();
    let bystander = issues::report(
        &pool,
        &new_issue(&form("Jonas Weber", "jonas@example.com", "0170 5550123")),
    )
    .await
    .unwrap();
    let agent = login(&pool, "t_privacy_agent", "caredesk_agent").await;
    let admin = login(&pool, "t_privacy_admin", "caredesk_admin").await;
    let mut as_agent = connect_as(&pool, &agent).await;
    let seen = issues::get_by_id(&mut as_agent, first.id)
        .await
        .unwrap()
        .updated_at;
    issues::update(
        &mut as_agent,
        first.id,
        &IssueUpdate {
            seen,
            status: None,
            priority: None,
            response: Some(
                Response::parse("Dear Zelda Privatperson, a new vase is on its way.").unwrap(),
            ),
            email: true,
        },
    )
    .await
    .unwrap();
    events::add_note(
        &mut as_agent,
        first.id,
        &Note::parse("Zelda called, very upset").unwrap(),
    )
    .await
    .unwrap();
    let mut intake = as_role(&pool, "caredesk_intake").await;
    status::write(
        &mut intake,
        &first.status_token,
        90,
        Some(&Description::parse_message("Thanks, Zelda here again").unwrap()),
        &[],
    )
    .await
    .unwrap();
    merge::merge(&mut as_agent, second.id, first.id, true)
        .await
        .unwrap();
    // a mail error that names the address, as SMTP replies do
    sqlx::query(
        "INSERT INTO customer_care_event (issue_id, actor, kind, detail)
         VALUES ($1, 'mailer', 'email_failed', jsonb_build_object('email', 'response', 'error', '550 zelda.private@example.com unknown'))",
    )
    .bind(first.id)
    .execute(&pool)
    .await
    .unwrap();
    let by_phone = CustomerKey::parse("0151 77771234", de()).unwrap();
    let by_email = CustomerKey::parse("Zelda.Private@Example.com", de()).unwrap();

    // agents may do neither
    let refused = privacy::export(&mut as_agent, &by_email).await.unwrap_err();
    assert!(matches!(refused, Error::PermissionDenied(_)), "{refused:?}");
    let refused = privacy::erase(&mut as_agent, &by_email).await.unwrap_err();
    assert!(matches!(refused, Error::PermissionDenied(_)), "{refused:?}");

    let mut as_admin = connect_as(&pool, &admin).await;
    // by phone: both issues (the second has another address, the same phone)
    let export = privacy::export(&mut as_admin, &by_phone).await.unwrap();
    let issues_out = export["issues"].as_array().unwrap();
    assert_eq!(
        issues_out
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [first.id, second.id]
    );
    let text = export.to_string();
    for held in [
        "Zelda Privatperson",
        "zelda.other@example.com",
        "+4915177771234",
        "Zeldastrasse 5",
        "ZP-4711",
        "a new vase is on its way",
        "Zelda called, very upset",
        "Thanks, Zelda here again",
    ] {
        assert!(text.contains(held), "{held:?} is in the export");
    }
    assert!(
        !issues_out[0]["emails"].as_array().unwrap().is_empty(),
        "the emails sent to them"
    );
    assert!(!text.contains("link_token"), "no status link tokens");
    assert!(!text.contains("Jonas"), "nobody else's issue");

    let erased = privacy::erase(&mut as_admin, &by_email).await.unwrap();
    assert_eq!(erased, 1, "by email: the first issue only");
    let erased = privacy::erase(&mut as_admin, &by_phone).await.unwrap();
    assert_eq!(erased, 1, "then by phone: the second");

    for personal in [
        "Zelda",
        "zelda",
        "77771234",
        "ZP-4711",
        "new vase",
        "Zeldastrasse",
    ] {
        assert_eq!(
            tables_holding(&pool, personal).await,
            Vec::<String>::new(),
            "{personal:?} remains"
        );
    }
    assert!(counts_match_rows(&pool).await, "the counts stay right");
    // the anonymous trace, by whom
    let trace = events::timeline(&pool, first.id).await.unwrap();
    let last = trace.last().unwrap();
    assert!(
        matches!(last.change, Change::Erased { .. }),
        "{:?}",
        last.change
    );
    assert_eq!(last.actor, admin);
    assert!(
        trace.iter().all(|e| e.quote.is_none()),
        "no words left on the timeline"
    );
    // the audit names who and what, never the customer
    let audit: Vec<(String, String, String, i32)> = sqlx::query_as(
        "SELECT actor, action, matched_by, issues FROM caredesk_privacy_audit ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        audit,
        [
            (admin.clone(), "export".into(), "phone".into(), 2),
            (admin.clone(), "erase".into(), "email".into(), 1),
            (admin.clone(), "erase".into(), "phone".into(), 1),
        ]
    );
    // the other customer is untouched
    assert!(issues::get_by_id(&pool, bystander.id).await.is_ok());
    drop(as_agent);
    drop(as_admin);
    drop_login(&pool, &agent).await;
    drop_login(&pool, &admin).await;
}

#[test]
fn a_customer_is_named_by_email_or_by_phone() {
    assert!(matches!(
        CustomerKey::parse("zelda@example.com", de()),
        Ok(CustomerKey::Email(_))
    ));
    assert!(matches!(
        CustomerKey::parse("+49 151 77771234", de()),
        Ok(CustomerKey::Phone(_))
    ));
    for bad in ["", "zelda@", "not a number"] {
        let refused = CustomerKey::parse(bad, de()).unwrap_err();
        assert!(matches!(refused, Error::Invalid(_)), "{bad:?}: {refused:?}");
    }
}
