//! Who may do what, tried against the database itself (not through any UI).

use caredesk_core::Error;
use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::db::issues;
use caredesk_core::secret::Password;
use sqlx::{AssertSqlSafe, PgConnection, PgPool};

use crate::helpers::{add_simple, form, new_issue, role_ddl, set_status};

async fn as_role(pool: &PgPool, role: &str) -> sqlx::pool::PoolConnection<sqlx::Postgres> {
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query(AssertSqlSafe(format!("SET ROLE {role}")))
        .execute(&mut *conn)
        .await
        .unwrap();
    conn
}

async fn denied(conn: &mut PgConnection, sql: &'static str) -> bool {
    match sqlx::query(sql).execute(&mut *conn).await {
        Err(e) => e.as_database_error().and_then(|d| d.code()).as_deref() == Some("42501"),
        Ok(_) => false,
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn intake_can_report_but_not_read_or_change_anything(pool: PgPool) {
    let existing = add_simple(&pool, "Amina").await;
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let id = issues::add(
        &mut *intake,
        &new_issue(&form("Jonas", "jonas@example.com", "030 901820")),
    )
    .await
    .unwrap();
    assert!(id > existing);
    for sql in [
        "SELECT * FROM customer_care",
        "SELECT id FROM customer_care",
        "SELECT * FROM customer_care_event",
        "UPDATE customer_care SET status = 'resolved'",
        "DELETE FROM customer_care",
        "INSERT INTO customer_care_event (issue_id, kind) VALUES (1, 'created')",
    ] {
        assert!(denied(&mut intake, sql).await, "intake must not run: {sql}");
    }
    assert!(matches!(
        issues::get_by_id(&mut *intake, existing).await,
        Err(Error::PermissionDenied(_))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_reads_and_updates_but_cannot_delete_or_forge_history(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    set_status(&pool, id, "resolved").await;
    let mut agent = as_role(&pool, "caredesk_agent").await;
    assert_eq!(issues::get_by_id(&mut *agent, id).await.unwrap().id, id);
    assert!(!denied(&mut agent, "UPDATE customer_care SET priority = 'high'").await);
    for sql in [
        "DELETE FROM customer_care",
        "INSERT INTO customer_care_event (issue_id, kind) VALUES (1, 'created')",
        "UPDATE customer_care_event SET actor = 'someone else'",
        "DELETE FROM customer_care_event",
        "UPDATE customer_care SET created_at = now()",
        "TRUNCATE customer_care",
    ] {
        assert!(
            denied(&mut agent, sql).await,
            "an agent must not run: {sql}"
        );
    }
    let seen = issues::get_by_id(&mut *agent, id).await.unwrap().updated_at;
    assert!(matches!(
        issues::delete(&mut agent, id, seen).await,
        Err(Error::PermissionDenied(_))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_admin_deletes_resolved_issues(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    set_status(&pool, id, "resolved").await;
    let mut admin = as_role(&pool, "caredesk_admin").await;
    let seen = issues::get_by_id(&mut *admin, id).await.unwrap().updated_at;
    issues::delete(&mut admin, id, seen).await.unwrap();
    assert!(matches!(
        issues::get_by_id(&pool, id).await,
        Err(Error::NotFound(_))
    ));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn agent_logins_are_created_in_the_right_role_with_a_hashed_password(pool: PgPool) {
    // logins are cluster-wide: a unique name per run, dropped at the end
    let name = format!("t_agent_{}", std::process::id());
    let login = AgentLogin::parse(&name).unwrap();
    agents::create(
        &pool,
        &login,
        &Password::new("correct horse battery staple"),
        true,
    )
    .await
    .unwrap();
    let (is_admin, is_agent, verifier): (bool, bool, Option<String>) = sqlx::query_as(
        "SELECT pg_has_role($1, 'caredesk_admin', 'MEMBER'), pg_has_role($1, 'caredesk_agent', 'MEMBER'),
                (SELECT rolpassword FROM pg_authid WHERE rolname = $1)",
    )
    .bind(&name)
    .fetch_one(&pool)
    .await
    .unwrap();
    let again = agents::create(
        &pool,
        &login,
        &Password::new("another long password"),
        false,
    )
    .await;
    let short = agents::create(
        &pool,
        &AgentLogin::parse("t_short_pw").unwrap(),
        &Password::new("short"),
        false,
    )
    .await;
    role_ddl(&pool, format!("DROP ROLE {name}")).await;

    assert!(is_admin && is_agent);
    assert!(verifier.unwrap().starts_with("SCRAM-SHA-256$"));
    assert!(matches!(again, Err(Error::Invalid(e)) if e.get("login").is_some()));
    assert!(matches!(short, Err(Error::Invalid(e)) if e.get("password").is_some()));
}
