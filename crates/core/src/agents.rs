//! Agents are PostgreSQL logins that are members of `caredesk_agent` (or `caredesk_admin`).
//! The team is managed through the database's SECURITY DEFINER functions (migration
//! `team`), which only ever touch CareDesk logins: admins call them from the desktop, the
//! owner from the command line.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::error::{Error, FieldErrors};
use crate::secret::Password;
use crate::sqlstate;

/// A login name an agent signs in with: lower-case letters, digits, `_`, `.` and `-`,
/// starting with a letter, at most 63 bytes (PostgreSQL's limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLogin(String);

impl AgentLogin {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let login = raw.trim();
        let valid_shape = login.len() <= 63
            && login.starts_with(|c: char| c.is_ascii_lowercase())
            && login
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
        let reserved =
            login.starts_with("pg_") || login.starts_with("caredesk_") || login == "postgres";
        if valid_shape && !reserved {
            return Ok(Self(login.to_owned()));
        }
        let mut errors = FieldErrors::new();
        errors.add(
            "login",
            if reserved {
                format!("\"{login}\" is reserved; choose another login name.")
            } else {
                "A login is 1-63 lower-case letters, digits, '_', '.' or '-', starting with a letter.".to_owned()
            },
        );
        Err(Error::Invalid(errors))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The least a password must be; generated ones are far longer.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The password as a SCRAM-SHA-256 verifier, the only form in which it leaves this process
/// (so it appears in no statement text or server log); too short a password is refused.
fn verifier(password: &Password) -> Result<String, Error> {
    if password.expose().chars().count() < MIN_PASSWORD_CHARS {
        let mut errors = FieldErrors::new();
        errors.add(
            "password",
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        );
        return Err(Error::Invalid(errors));
    }
    Ok(postgres_protocol::password::scram_sha_256(
        password.expose().as_bytes(),
    ))
}

/// The database's refusals about a login, as the field's error.
fn login_error(login: &AgentLogin, error: sqlx::Error) -> Error {
    let field = |message: String| {
        let mut errors = FieldErrors::new();
        errors.add("login", message);
        Error::Invalid(errors)
    };
    if sqlstate::is(&error, sqlstate::DUPLICATE_OBJECT) {
        field(format!(
            "A login named \"{}\" already exists.",
            login.as_str()
        ))
    } else if sqlstate::is(&error, sqlstate::UNDEFINED_OBJECT) {
        field(format!("\"{}\" is not a CareDesk agent.", login.as_str()))
    } else {
        Error::from(error)
    }
}

/// Creates the login (an admin's desktop, or the owner's `agent add`).
pub async fn create(
    db: impl PgExecutor<'_>,
    login: &AgentLogin,
    password: &Password,
    admin: bool,
) -> Result<(), Error> {
    let verifier = verifier(password)?;
    sqlx::query!(
        "SELECT caredesk_add_agent($1, $2, $3)",
        login.as_str(),
        verifier,
        admin
    )
    .execute(db)
    .await
    .map_err(|e| login_error(login, e))?;
    Ok(())
}

/// One login of the team, as an admin sees it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamMember {
    pub login: String,
    pub is_admin: bool,
    /// A disabled login cannot sign in; its history stays.
    pub enabled: bool,
    /// When the login last signed in to a CareDesk desktop.
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// Every CareDesk login, enabled or not (admins only: the database refuses the rest).
pub async fn team(db: impl PgExecutor<'_>) -> Result<Vec<TeamMember>, Error> {
    Ok(sqlx::query_as!(
        TeamMember,
        r#"SELECT login AS "login!", is_admin AS "is_admin!", enabled AS "enabled!", last_seen_at
             FROM caredesk_team()"#
    )
    .fetch_all(db)
    .await?)
}

/// Notes that the signed-in agent is using CareDesk now.
pub async fn seen(db: impl PgExecutor<'_>) -> Result<(), Error> {
    sqlx::query!("SELECT caredesk_seen()").execute(db).await?;
    Ok(())
}

/// Disables (cannot sign in, open sessions ended) or enables a login. Not one's own.
pub async fn set_enabled(
    db: impl PgExecutor<'_>,
    login: &AgentLogin,
    enabled: bool,
) -> Result<(), Error> {
    sqlx::query!(
        "SELECT caredesk_set_agent_enabled($1, $2)",
        login.as_str(),
        enabled
    )
    .execute(db)
    .await
    .map_err(|e| login_error(login, e))?;
    Ok(())
}

/// Gives another login a new password (an admin's).
pub async fn reset_password(
    db: impl PgExecutor<'_>,
    login: &AgentLogin,
    password: &Password,
) -> Result<(), Error> {
    let verifier = verifier(password)?;
    sqlx::query!(
        "SELECT caredesk_reset_password($1, $2)",
        login.as_str(),
        verifier
    )
    .execute(db)
    .await
    .map_err(|e| login_error(login, e))?;
    Ok(())
}

/// Grants or takes back admin. An admin cannot take back their own.
pub async fn set_admin(
    db: impl PgExecutor<'_>,
    login: &AgentLogin,
    admin: bool,
) -> Result<(), Error> {
    sqlx::query!(
        "SELECT caredesk_set_agent_admin($1, $2)",
        login.as_str(),
        admin
    )
    .execute(db)
    .await
    .map_err(|e| login_error(login, e))?;
    Ok(())
}

/// Removes the login (the owner's command line only); the issues it owned are nobody's.
pub async fn remove(db: impl PgExecutor<'_>, login: &AgentLogin) -> Result<(), Error> {
    sqlx::query!("SELECT caredesk_remove_agent($1)", login.as_str())
        .execute(db)
        .await
        .map_err(|e| login_error(login, e))?;
    Ok(())
}

/// The signed-in agent's own new password.
pub async fn change_own_password(
    db: impl PgExecutor<'_>,
    password: &Password,
) -> Result<(), Error> {
    let verifier = verifier(password)?;
    sqlx::query!("SELECT caredesk_change_own_password($1)", verifier)
        .execute(db)
        .await?;
    Ok(())
}

/// Runs `sql` (statements of the caller's own that create, change or drop roles), trying
/// again a few times when PostgreSQL refuses it because another session changed the same
/// role catalog row at that moment ("tuple concurrently updated"): roles are the cluster's,
/// shared by every database on it, so two databases' maintenance can meet there.
pub async fn role_ddl(pool: &sqlx::PgPool, sql: &str) -> Result<(), Error> {
    for attempt in 1u64.. {
        match sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(pool)
            .await
        {
            Ok(_) => return Ok(()),
            Err(error)
                if attempt < 10
                    && error
                        .as_database_error()
                        .is_some_and(|e| e.message() == "tuple concurrently updated") =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
    unreachable!("the loop returns")
}

/// Every CareDesk agent login, by name: whom an issue can be handed to.
pub async fn logins(db: impl PgExecutor<'_>) -> Result<Vec<String>, Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT rolname::text AS "login!" FROM pg_catalog.pg_roles
            WHERE public.caredesk_is_agent(rolname) ORDER BY rolname"#
    )
    .fetch_all(db)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_plain_names_and_not_reserved() {
        assert!(AgentLogin::parse("amina").is_ok());
        assert!(AgentLogin::parse("amina.yusuf-2").is_ok());
        for bad in [
            "",
            "Amina",
            "1amina",
            "a b",
            "amina\"; DROP ROLE x; --",
            "pg_monitor",
            "caredesk_admin",
            "postgres",
        ] {
            assert!(AgentLogin::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
