//! The SQLSTATE codes CareDesk reacts to, by name (PostgreSQL's appendix A), so a code is
//! written once and every branch on it reads as what it means.

use sqlx::error::DatabaseError;

pub const STRING_DATA_RIGHT_TRUNCATION: &str = "22001";
pub const INVALID_PARAMETER_VALUE: &str = "22023";
pub const CHECK_VIOLATION: &str = "23514";
pub const UNIQUE_VIOLATION: &str = "23505";
/// PL/pgSQL's "no data found": the issue a function was given does not exist.
pub const NO_DATA_FOUND: &str = "P0002";
pub const INVALID_AUTHORIZATION_SPECIFICATION: &str = "28000";
pub const INVALID_PASSWORD: &str = "28P01";
pub const INVALID_CATALOG_NAME: &str = "3D000";
pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
pub const UNDEFINED_OBJECT: &str = "42704";
pub const DUPLICATE_OBJECT: &str = "42710";
/// A lock was not granted within `lock_timeout` (someone else's transaction holds it).
pub const LOCK_NOT_AVAILABLE: &str = "55P03";
/// A statement ran past `statement_timeout` (or was cancelled).
pub const QUERY_CANCELED: &str = "57014";

/// Class 08: the connection failed or broke off.
const CONNECTION_EXCEPTION_CLASS: &str = "08";
/// Class 57P: operator intervention (shutdown, restart, a terminated backend).
const OPERATOR_INTERVENTION_CLASS: &str = "57P";

/// The SQLSTATE of a database error, if the server sent one.
pub fn of(error: &sqlx::Error) -> Option<String> {
    error
        .as_database_error()
        .and_then(DatabaseError::code)
        .map(|code| code.into_owned())
}

/// Whether the error carries exactly this SQLSTATE.
pub fn is(error: &sqlx::Error, code: &str) -> bool {
    of(error).as_deref() == Some(code)
}

/// Whether a SQLSTATE says the database cannot serve us right now (connection lost,
/// shutting down, or busy past the time limits) rather than that the statement was wrong:
/// worth retrying shortly.
pub fn means_unavailable(code: &str) -> bool {
    code.starts_with(CONNECTION_EXCEPTION_CLASS)
        || code.starts_with(OPERATOR_INTERVENTION_CLASS)
        || code == LOCK_NOT_AVAILABLE
        || code == QUERY_CANCELED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_and_shutdown_classes_mean_unavailable() {
        assert!(means_unavailable("08006"));
        assert!(means_unavailable("57P01"));
        assert!(means_unavailable(LOCK_NOT_AVAILABLE));
        assert!(means_unavailable(QUERY_CANCELED));
        assert!(!means_unavailable(CHECK_VIOLATION));
        assert!(!means_unavailable(INSUFFICIENT_PRIVILEGE));
    }
}
