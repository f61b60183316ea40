//! Owners: an agent takes an issue, hands it to another, gives it back; the database lets
//! only CareDesk agents own issues, names who assigned whom on the timeline, and answers
//! the Mine view and the owner filter.

use caredesk_core::Error;
use caredesk_core::agents;
use caredesk_core::db::issues;
use caredesk_core::db::list::OwnerFilter;
use caredesk_core::desk::view::{self, Filters, Today, View, ViewQuery};
use caredesk_core::domain::Status;
use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection, PgPool};

use crate::helpers::{add_simple, connect_as, drop_login, login};

fn today() -> Today {
    Today {
        starts_at: DateTime::<Utc>::UNIX_EPOCH,
    }
}

async fn mine_count(conn: &mut PgConnection) -> i64 {
    view::counts(conn, today())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.view == View::Mine)
        .unwrap()
        .count
}

async fn ids(conn: &mut PgConnection, view: View, owner: Option<OwnerFilter>) -> Vec<i64> {
    let query = ViewQuery {
        view,
        filters: Filters {
            owner,
            ..Filters::default()
        },
        only: None,
        cursor: None,
        limit: None,
    };
    let page = view::page(conn, &query, today()).await.unwrap();
    page.page.issues.iter().map(|i| i.id).collect()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_takes_hands_over_and_gives_back_and_the_timeline_names_each_step(pool: PgPool) {
    let amina = login(&pool, "t_own_amina", "caredesk_agent").await;
    let jonas = login(&pool, "t_own_jonas", "caredesk_admin").await;
    let id = add_simple(&pool, "Customer One").await;
    let other = add_simple(&pool, "Customer Two").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let mut as_jonas = connect_as(&pool, &jonas).await;

    let seen = issues::get_by_id(&pool, id).await.unwrap().updated_at;
    let taken = issues::assign(&mut as_amina, id, seen, Some(&amina), true)
        .await
        .unwrap();
    assert_eq!(taken.owner.as_deref(), Some(amina.as_str()));
    assert_eq!(taken.status, Status::InProgress);
    assert_eq!(mine_count(&mut as_amina).await, 1);
    assert_eq!(mine_count(&mut as_jonas).await, 0);
    assert_eq!(ids(&mut as_amina, View::Mine, None).await, [id]);
    assert_eq!(
        ids(&mut as_jonas, View::All, Some(OwnerFilter::Nobody)).await,
        [other]
    );
    assert_eq!(
        ids(
            &mut as_jonas,
            View::All,
            Some(OwnerFilter::Agent(amina.clone()))
        )
        .await,
        [id]
    );
    // Mine and "nobody's" exclude each other
    let contradictory = ViewQuery {
        view: View::Mine,
        filters: Filters {
            owner: Some(OwnerFilter::Nobody),
            ..Filters::default()
        },
        only: None,
        cursor: None,
        limit: None,
    };
    assert!(
        view::page(&mut as_amina, &contradictory, today())
            .await
            .unwrap()
            .contradictory
    );

    let handed = issues::assign(&mut as_amina, id, taken.updated_at, Some(&jonas), false)
        .await
        .unwrap();
    assert_eq!(handed.owner.as_deref(), Some(jonas.as_str()));
    assert_eq!(mine_count(&mut as_amina).await, 0);
    assert_eq!(mine_count(&mut as_jonas).await, 1);

    // a change from the version before the hand-over conflicts, and names it
    let stale = issues::assign(&mut as_amina, id, taken.updated_at, None, false).await;
    match stale {
        Err(Error::Conflict { changes, .. }) => assert_eq!(
            changes
                .iter()
                .map(|e| e.summary.clone())
                .collect::<Vec<_>>(),
            [format!("{amina} handed the issue to {jonas}")]
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let back = issues::assign(&mut as_jonas, id, handed.updated_at, None, false)
        .await
        .unwrap();
    assert_eq!(back.owner, None);
    assert_eq!(
        back.status,
        Status::InProgress,
        "giving back keeps the status"
    );

    let summaries: Vec<String> = caredesk_core::db::events::timeline(&pool, id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.summary)
        .collect();
    assert_eq!(
        summaries,
        [
            "Customer reported the issue".to_owned(),
            format!("{amina} set status to in progress"),
            format!("{amina} took the issue"),
            format!("{amina} handed the issue to {jonas}"),
            format!("{jonas} gave the issue back"),
        ]
    );
    let mut everyone = agents::logins(&pool).await.unwrap();
    everyone.retain(|l| l == &amina || l == &jonas);
    assert_eq!(everyone.len(), 2, "both are agents an issue can go to");

    as_amina.close().await.unwrap();
    as_jonas.close().await.unwrap();
    drop_login(&pool, &amina).await;
    drop_login(&pool, &jonas).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn only_a_caredesk_agent_login_may_own_an_issue(pool: PgPool) {
    let amina = login(&pool, "t_own_only", "caredesk_agent").await;
    let stranger = login(&pool, "t_own_stranger", "pg_monitor").await;
    let web = login(&pool, "t_own_web", "caredesk_intake").await;
    let id = add_simple(&pool, "Customer").await;
    let mut as_amina = connect_as(&pool, &amina).await;
    let seen = issues::get_by_id(&pool, id).await.unwrap().updated_at;
    for owner in [
        "postgres",
        "caredesk_agent",
        "caredesk_owner",
        stranger.as_str(),
        web.as_str(),
        "nobody_at_all",
    ] {
        let refused = issues::assign(&mut as_amina, id, seen, Some(owner), true).await;
        assert!(
            matches!(refused, Err(Error::Invalid(ref fields)) if fields.get("owner").is_some()),
            "{owner}: {refused:?}"
        );
    }
    let issue = issues::get_by_id(&pool, id).await.unwrap();
    assert_eq!(
        (issue.owner, issue.status, issue.updated_at),
        (None, Status::Open, seen)
    );
    let logins = agents::logins(&pool).await.unwrap();
    assert!(logins.contains(&amina));
    for not_an_agent in [
        "postgres",
        stranger.as_str(),
        web.as_str(),
        "caredesk_agent",
    ] {
        assert!(
            !logins.iter().any(|l| l == not_an_agent),
            "{not_an_agent} listed"
        );
    }
    as_amina.close().await.unwrap();
    for role in [&amina, &stranger, &web] {
        drop_login(&pool, role).await;
    }
}
