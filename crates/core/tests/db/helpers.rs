//! Shared fixtures for the database suite.

use caredesk_core::db::issues;
use caredesk_core::domain::PhoneRegion;
use caredesk_core::report::{NewIssue, ReportForm};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

pub fn de() -> PhoneRegion {
    PhoneRegion::parse("DE").expect("DE is a region")
}

pub fn form(name: &str, email: &str, phone: &str) -> ReportForm {
    ReportForm {
        name: Some(name.into()),
        email: Some(email.into()),
        phone: Some(phone.into()),
        order_id: Some("A-1001".into()),
        issue_type: Some("not_received".into()),
        description: Some("My parcel has not arrived after two weeks.".into()),
        priority: None,
        language: None,
    }
}

pub fn new_issue(form: &ReportForm) -> NewIssue {
    NewIssue::parse(form, de()).expect("fixture report is valid")
}

/// Adds a report and returns its id.
pub async fn add(pool: &PgPool, form: &ReportForm) -> i64 {
    issues::add(pool, &new_issue(form))
        .await
        .expect("report is stored")
}

pub async fn add_simple(pool: &PgPool, name: &str) -> i64 {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
    add(pool, &form(name, &email, "0151 23456789")).await
}

pub async fn rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM customer_care")
        .fetch_one(pool)
        .await
        .expect("count")
}

/// Sets an issue's status with plain SQL as the owner, bypassing core (and its version check).
pub async fn set_status(pool: &PgPool, id: i64, status: &str) {
    sqlx::query("UPDATE customer_care SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(pool)
        .await
        .expect("status set");
}

/// A connection of the test database of its own (not the pool's, which must stay the
/// owner's) as `role`; SET ROLE keeps the session's search_path.
pub async fn as_role(pool: &PgPool, role: &str) -> PgConnection {
    let mut conn = PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::query(AssertSqlSafe(format!("SET ROLE {role}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

/// Runs role DDL (roles are the cluster's, shared by the tests' databases running at once:
/// core tries again when two change one role's catalog row at the same moment).
pub async fn role_ddl(pool: &PgPool, sql: String) {
    if let Err(error) = caredesk_core::agents::role_ddl(pool, &sql).await {
        panic!("{sql}: {error}");
    }
}

/// A login of the given group role, for this test only (roles are the cluster's: the name
/// carries the process id).
pub async fn login(pool: &PgPool, name: &str, group: &str) -> String {
    let login = format!("{name}_{}", std::process::id());
    role_ddl(
        pool,
        format!("DROP ROLE IF EXISTS {login}; CREATE ROLE {login} LOGIN IN ROLE {group}"),
    )
    .await;
    login
}

pub async fn drop_login(pool: &PgPool, login: &str) {
    role_ddl(pool, format!("DROP OWNED BY {login}; DROP ROLE {login}")).await;
}

/// A connection of the test database signed in as `login` itself (its session_user).
pub async fn connect_as(pool: &PgPool, login: &str) -> PgConnection {
    PgConnection::connect_with(&(*pool.connect_options()).clone().username(login))
        .await
        .unwrap()
}
