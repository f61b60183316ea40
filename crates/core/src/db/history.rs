//! The customer's other issues, for the detail view: the same email (in any case) or the
//! same phone (by its E.164 form, however it was typed), newest first; and the reports the
//! database marked at intake as possible duplicates (the same order, email or phone as an
//! issue still open).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use super::Issue;
use crate::domain::{IssueType, Matched, Status};
use crate::error::Error;

/// The most other issues the detail lists.
pub const HISTORY_LIMIT: i64 = 50;

/// Another issue of the same customer, as the detail lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherIssue {
    pub id: i64,
    pub issue_type: IssueType,
    pub status: Status,
    pub order_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn of_customer(db: impl PgExecutor<'_>, issue: &Issue) -> Result<Vec<OtherIssue>, Error> {
    Ok(sqlx::query_as!(
        OtherIssue,
        r#"SELECT id, issue_type AS "issue_type: IssueType", status AS "status: Status",
                  order_id, created_at
             FROM customer_care
            WHERE (lower(email) = lower($1) OR phone_e164 = $2) AND id <> $3
            ORDER BY created_at DESC, id DESC
            LIMIT $4"#,
        issue.email,
        issue.phone_e164,
        issue.id,
        HISTORY_LIMIT,
    )
    .fetch_all(db)
    .await?)
}

/// One end of a possible-duplicate mark, seen from the other issue.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateMark {
    pub id: i64,
    pub matched: Matched,
    /// "Possibly a repeat of #12 (the same order)", in the desk's words.
    pub words: String,
}

/// Both directions of the marks of one issue.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Duplicates {
    /// The open issue this report may repeat.
    pub repeats: Option<DuplicateMark>,
    /// Later reports that may repeat this one, newest first.
    pub repeated_by: Vec<DuplicateMark>,
}

pub async fn duplicates(db: impl PgExecutor<'_>, id: i64) -> Result<Duplicates, Error> {
    let rows = sqlx::query!(
        r#"SELECT issue_id, of_issue_id, matched AS "matched: Matched"
             FROM customer_care_duplicate
            WHERE issue_id = $1 OR of_issue_id = $1
            ORDER BY issue_id DESC"#,
        id
    )
    .fetch_all(db)
    .await?;
    let mut marks = Duplicates::default();
    for row in rows {
        if row.issue_id == id {
            marks.repeats = Some(DuplicateMark {
                id: row.of_issue_id,
                matched: row.matched,
                words: format!(
                    "Possibly a repeat of #{} ({})",
                    row.of_issue_id,
                    row.matched.label()
                ),
            });
        } else {
            marks.repeated_by.push(DuplicateMark {
                id: row.issue_id,
                matched: row.matched,
                words: format!(
                    "#{} may repeat this issue ({})",
                    row.issue_id,
                    row.matched.label()
                ),
            });
        }
    }
    Ok(marks)
}
