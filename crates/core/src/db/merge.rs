//! Merging a duplicate into the issue that is kept. The database does it in one function
//! (migration `merge`): nothing is copied, so nothing can be lost. The merged issue is
//! resolved and points to the kept one, whose timeline then shows the merged issue's report,
//! responses, customer messages and notes, each with its own time and author.

use sqlx::PgExecutor;

use crate::error::{Error, FieldErrors};
use crate::sqlstate;

/// The field a refused merge is reported on. `OTHER_CUSTOMER_FIELD` means the agent may
/// still confirm it: the two issues are different customers'.
pub const MERGE_FIELD: &str = "into";
pub const OTHER_CUSTOMER_FIELD: &str = "other_customer";

/// A merge done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// Both issues are the same customer's (as the database counts one): the merged
    /// issue's status link now shows the kept issue.
    pub same_customer: bool,
}

/// Merges issue `merged` into `kept`. Two customers' issues are merged only when the agent
/// confirmed it (`other_customer`); otherwise the refusal says so on [`OTHER_CUSTOMER_FIELD`].
pub async fn merge(
    db: impl PgExecutor<'_>,
    merged: i64,
    kept: i64,
    other_customer: bool,
) -> Result<Merged, Error> {
    let same_customer = sqlx::query_scalar!(
        r#"SELECT caredesk_merge_issue($1, $2, $3) AS "same!""#,
        merged,
        kept,
        other_customer
    )
    .fetch_one(db)
    .await
    .map_err(|error| refusal(error, merged, kept))?;
    Ok(Merged { same_customer })
}

fn refusal(error: sqlx::Error, merged: i64, kept: i64) -> Error {
    if sqlstate::is(&error, sqlstate::NO_DATA_FOUND) {
        let missing = error
            .as_database_error()
            .and_then(|e| e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
            .and_then(|e| e.detail())
            .and_then(|detail| detail.parse().ok())
            .unwrap_or(kept);
        return Error::NotFound(missing);
    }
    let constraint = error.as_database_error().and_then(|e| e.constraint());
    let (field, message) = match constraint {
        Some("customer_care_merge_itself") => (
            MERGE_FIELD,
            format!("Issue #{merged} cannot be merged into itself."),
        ),
        Some("customer_care_merge_other_customer") => (
            OTHER_CUSTOMER_FIELD,
            format!(
                "Issues #{merged} and #{kept} are from different customers (neither the email nor the phone is the same). Merge them only if they are the same person."
            ),
        ),
        Some("customer_care_merge_already" | "customer_care_merge_into_merged") => {
            let said = error
                .as_database_error()
                .map(|e| e.message().to_owned())
                .unwrap_or_default();
            (MERGE_FIELD, format!("Not merged: {said}."))
        }
        _ => return error.into(),
    };
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    Error::Invalid(errors)
}
