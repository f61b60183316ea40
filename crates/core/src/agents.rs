//! Agents are PostgreSQL logins that are members of `caredesk_agent` (or `caredesk_admin`).
//! Creating one needs a connection with CREATEROLE (the owner's).

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

/// Creates the login. The password leaves this process only as a SCRAM-SHA-256 verifier,
/// so it appears in no statement text or server log.
pub async fn create(
    db: impl PgExecutor<'_>,
    login: &AgentLogin,
    password: &Password,
    admin: bool,
) -> Result<(), Error> {
    if password.expose().chars().count() < MIN_PASSWORD_CHARS {
        let mut errors = FieldErrors::new();
        errors.add(
            "password",
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        );
        return Err(Error::Invalid(errors));
    }
    let verifier = postgres_protocol::password::scram_sha_256(password.expose().as_bytes());
    sqlx::query!(
        "SELECT caredesk_create_agent($1, $2, $3)",
        login.as_str(),
        verifier,
        admin
    )
    .execute(db)
    .await
    .map_err(|error| {
        if sqlstate::is(&error, sqlstate::DUPLICATE_OBJECT) {
            let mut errors = FieldErrors::new();
            errors.add(
                "login",
                format!("A login named \"{}\" already exists.", login.as_str()),
            );
            Error::Invalid(errors)
        } else {
            Error::from(error)
        }
    })?;
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
