//! Every SQL statement of CareDesk, as functions over a connection or transaction.
//! Statements are checked against the schema at compile time (sqlx macros, `.sqlx/`).

pub mod events;
pub mod history;
pub mod issues;
pub mod list;
pub mod merge;
pub mod replies;
pub mod shop;
pub mod stats;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub use issues::{Issue, IssueUpdate};
pub use list::{Cursor, IssueFilter, Page};

/// A pool that starts without the database (so a service can come up first and report
/// 503s) and waits at most `acquire_timeout` for a connection. For the server and its
/// mailer, which run no list queries: their statements (and the triggers and functions
/// they call) keep PostgreSQL's cached plans, which `with_session_settings` would re-plan
/// on every call.
pub fn lazy_pool(
    options: PgConnectOptions,
    max_connections: u32,
    acquire_timeout: Duration,
) -> PgPool {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .connect_lazy_with(options)
}

/// The session settings of an agent's connection: every list query is planned for its
/// actual filter values (a generic plan ignores which of the optional filters are set).
pub fn with_session_settings(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("plan_cache_mode", "force_custom_plan")])
}

/// localhost, a loopback address or a Unix socket's folder: a connection that crosses no
/// network, where a password may travel without TLS.
pub fn is_this_computer(host: &str) -> bool {
    let host = host.trim();
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with('/')
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Why connecting with `options` could hand the password to someone else, if it could: a
/// database on another machine reached without TLS, or with TLS that may silently fall
/// back to none.
pub fn password_exposure(options: &PgConnectOptions) -> Option<String> {
    use sqlx::postgres::PgSslMode;
    if options.get_socket().is_some() || is_this_computer(options.get_host()) {
        return None;
    }
    match options.get_ssl_mode() {
        PgSslMode::Require | PgSslMode::VerifyCa | PgSslMode::VerifyFull => None,
        mode => Some(format!(
            "the database at {} is on another machine and the connection's sslmode is {mode:?}: the password may cross the network unencrypted; use sslmode=verify-full (or at least require)",
            options.get_host()
        )),
    }
}

/// Answers whether the database takes queries, for health checks.
pub async fn ping(pool: &PgPool) -> Result<(), crate::Error> {
    sqlx::query_scalar!("SELECT 1 AS \"one!\"")
        .fetch_one(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn only_this_computer_may_go_without_tls() {
        for local in [
            "localhost",
            "127.0.0.1",
            "127.0.0.2",
            "::1",
            "[::1]",
            "/run/postgresql",
        ] {
            assert!(is_this_computer(local), "{local}");
        }
        for remote in [
            "db.example.com",
            "10.0.0.5",
            "::ffff:10.0.0.5",
            "localhost.evil.com",
        ] {
            assert!(!is_this_computer(remote), "{remote}");
        }
    }

    #[test]
    fn a_remote_database_without_verified_tls_is_named() {
        let exposed = |url: &str| password_exposure(&PgConnectOptions::from_str(url).unwrap());
        assert!(exposed("postgres://web@db.example.com/caredesk").is_some());
        assert!(exposed("postgres://web@db.example.com/caredesk?sslmode=prefer").is_some());
        assert!(exposed("postgres://web@db.example.com/caredesk?sslmode=require").is_none());
        assert!(exposed("postgres://web@db.example.com/caredesk?sslmode=verify-full").is_none());
        assert!(exposed("postgres://web@127.0.0.1/caredesk").is_none());
        assert!(exposed("postgres://web@localhost/caredesk?host=/run/postgresql").is_none());
    }
}
