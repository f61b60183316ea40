//! Every SQL statement of CareDesk, as functions over a connection or transaction.
//! Statements are checked against the schema at compile time (sqlx macros, `.sqlx/`).

pub mod events;
pub mod issues;
pub mod list;
pub mod stats;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub use issues::{Issue, IssueUpdate};
pub use list::{Cursor, IssueFilter, Page};

/// A pool that starts without the database (so a service can come up first and report
/// 503s), waits at most `acquire_timeout` for a connection, and plans every list query for
/// its actual filter values (generic plans ignore which of the optional filters are set).
pub fn lazy_pool(
    options: PgConnectOptions,
    max_connections: u32,
    acquire_timeout: Duration,
) -> PgPool {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .connect_lazy_with(with_session_settings(options))
}

/// The session settings CareDesk's queries rely on.
pub fn with_session_settings(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("plan_cache_mode", "force_custom_plan")])
}

/// Answers whether the database takes queries, for health checks.
pub async fn ping(pool: &PgPool) -> Result<(), crate::Error> {
    sqlx::query_scalar!("SELECT 1 AS \"one!\"")
        .fetch_one(pool)
        .await?;
    Ok(())
}
