//! The seed's data functions: add, get by id, update, delete and the counts. Listing and
//! searching live in `list`, the timeline in `events`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Acquire, PgConnection, PgExecutor};

use crate::desk::timeline::EmailKind;
use crate::domain::{IssueType, Priority, Response, Status};
use crate::error::{Error, FieldErrors};
use crate::photos::{PhotoColumns, PreparedPhoto};
use crate::report::NewIssue;
use crate::status::StatusToken;

/// An issue as stored.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// As the customer typed it.
    pub phone: String,
    /// `+4915123456789`, for call and WhatsApp links.
    pub phone_e164: String,
    pub order_id: Option<String>,
    pub issue_type: IssueType,
    pub description: String,
    pub priority: Priority,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    /// Also the issue's version: updates name the one they saw.
    pub updated_at: DateTime<Utc>,
    pub admin_response: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The agent login handling it, if anyone is.
    pub owner: Option<String>,
    /// When the first response is due by the shop's promise (`None`: the shop is never
    /// open). Computed by the database on intake and on a priority change.
    pub due_at: Option<DateTime<Utc>>,
    /// When the first response was given; it stops the timer.
    pub first_response_at: Option<DateTime<Utc>>,
    /// The open issue this report may repeat (the same order, email or phone), marked at
    /// intake; agents decide.
    pub possible_duplicate_of: Option<i64>,
    /// The issue this one was merged into: it is resolved, and its timeline is the kept
    /// issue's now.
    pub merged_into: Option<i64>,
}

/// `sqlx::query_as!(Issue, …)` over the issue's columns, read the same way by every query
/// that returns whole issues; `$rest` is the SQL after `FROM customer_care` (a string
/// literal), the arguments follow.
macro_rules! select_issues {
    ($rest:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::db::issues::Issue,
            r#"SELECT id, name, email, phone, phone_e164, order_id,
                      issue_type AS "issue_type: crate::domain::IssueType", description,
                      priority AS "priority: crate::domain::Priority",
                      status AS "status: crate::domain::Status",
                      created_at, updated_at, admin_response, resolved_at, owner,
                      due_at, first_response_at,
                      (SELECT d.of_issue_id FROM customer_care_duplicate d
                        WHERE d.issue_id = customer_care.id) AS possible_duplicate_of,
                      merged_into
                 FROM customer_care "# + $rest
            $(, $arg)*
        )
    };
}
pub(crate) use select_issues;

/// What an agent changes; `None` leaves a field as it is. `seen` is the `updated_at` the
/// agent was looking at: if the issue changed since, nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueUpdate {
    pub seen: DateTime<Utc>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub response: Option<Response>,
    /// Email the customer what this change says (a response, or that the issue is resolved)
    /// when a mailer is delivering.
    pub email: bool,
}

/// The numbers the views' counts are made of, from the counters the database keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountRow {
    pub open: i64,
    pub in_progress: i64,
    pub urgent_unresolved: i64,
    /// Resolved at or after the time asked for (the agent's midnight).
    pub resolved_since: i64,
    pub total: i64,
    /// The signed-in agent's own issues that are not resolved.
    pub mine: i64,
    /// Unresolved issues past their first-response due time with no response yet.
    pub overdue: i64,
}

/// A stored report: its id, and the token of its first status link (given to the customer;
/// the database keeps only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub id: i64,
    pub status_token: StatusToken,
}

/// Stores a validated report (and, when a mailer is delivering, its confirmation email).
/// This goes through the same database function the public server (as `caredesk_intake`)
/// is allowed to call.
pub async fn report(db: impl PgExecutor<'_>, issue: &NewIssue) -> Result<Reported, Error> {
    report_with_photos(db, issue, &[]).await
}

/// Stores a validated report with its photos, all or nothing, in one call of the intake
/// function.
pub async fn report_with_photos(
    db: impl PgExecutor<'_>,
    issue: &NewIssue,
    photos: &[PreparedPhoto],
) -> Result<Reported, Error> {
    let columns = PhotoColumns::of(photos);
    let row = sqlx::query!(
        r#"SELECT issue_id AS "id!", status_token AS "token!"
             FROM caredesk_report_issue($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        issue.name.as_str(),
        issue.email.as_str(),
        issue.phone.as_typed(),
        issue.phone.e164(),
        issue.order_id.as_ref().map(|o| o.as_str()),
        issue.issue_type.as_str(),
        issue.description.as_str(),
        issue.priority.as_str(),
        issue.language.as_str(),
        &columns.images,
        &columns.thumbnails,
        &columns.content_types,
        &columns.widths,
        &columns.heights,
    )
    .fetch_one(db)
    .await?;
    let status_token = StatusToken::parse(&row.token).ok_or(Error::Corrupt)?;
    Ok(Reported {
        id: row.id,
        status_token,
    })
}

/// Stores a validated report and returns its id.
pub async fn add(db: impl PgExecutor<'_>, issue: &NewIssue) -> Result<i64, Error> {
    Ok(report(db, issue).await?.id)
}

pub async fn get_by_id(db: impl PgExecutor<'_>, id: i64) -> Result<Issue, Error> {
    select_issues!(r#"WHERE id = $1"#, id)
        .fetch_optional(db)
        .await?
        .ok_or(Error::NotFound(id))
}

/// The highest issue id so far (0 for none): where a listener that reconnects later
/// starts catching up.
pub async fn newest_id(db: impl PgExecutor<'_>) -> Result<i64, Error> {
    Ok(
        sqlx::query_scalar!(r#"SELECT coalesce(max(id), 0) AS "id!" FROM customer_care"#)
            .fetch_one(db)
            .await?,
    )
}

/// The reports a listener missed while its connection was down: issues with an id above
/// `after_id` except those in `already_seen`, newest first, at most `limit`, with how many
/// there are in all.
pub async fn created_after(
    db: &mut PgConnection,
    after_id: i64,
    already_seen: &[i64],
    limit: i64,
) -> Result<(Vec<Issue>, i64), Error> {
    let newest = select_issues!(
        r#"WHERE id > $1 AND id <> ALL($2)
            ORDER BY id DESC LIMIT $3"#,
        after_id,
        already_seen,
        limit
    )
    .fetch_all(&mut *db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM customer_care WHERE id > $1 AND id <> ALL($2)"#,
        after_id,
        already_seen
    )
    .fetch_one(db)
    .await?;
    Ok((newest, total))
}

/// Applies an agent's update if the issue is still as the agent saw it.
pub async fn update(db: &mut PgConnection, id: i64, change: &IssueUpdate) -> Result<Issue, Error> {
    Ok(update_emailing(db, id, change).await?.0)
}

/// [`update`], also saying which email to the customer the change queued, if any (only
/// with `change.email`, and only while a mailer is delivering).
pub async fn update_emailing(
    db: &mut PgConnection,
    id: i64,
    change: &IssueUpdate,
) -> Result<(Issue, Option<EmailKind>), Error> {
    if change.status.is_none() && change.priority.is_none() && change.response.is_none() {
        let mut errors = FieldErrors::new();
        errors.add(
            "update",
            "Nothing to change: give a status, a priority or a response.",
        );
        return Err(Error::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    if change.email {
        // read by the trigger that writes the email to the outbox, in this transaction only
        sqlx::query_scalar!(r#"SELECT set_config('caredesk.email', 'on', true) AS "set!""#)
            .fetch_one(&mut *tx)
            .await?;
    }
    let updated = sqlx::query_scalar!(
        r#"UPDATE customer_care
              SET status = COALESCE($3, status),
                  priority = COALESCE($4, priority),
                  admin_response = COALESCE($5, admin_response)
            WHERE id = $1 AND updated_at = $2
        RETURNING id"#,
        id,
        change.seen,
        change.status.map(Status::as_str),
        change.priority.map(Priority::as_str),
        change.response.as_ref().map(Response::as_str),
    )
    .fetch_optional(&mut *tx)
    .await?;
    // the email trigger notes here what it queued, for this transaction only
    let emailed =
        sqlx::query_scalar!(r#"SELECT current_setting('caredesk.emailed', true) AS "emailed""#)
            .fetch_one(&mut *tx)
            .await?
            .as_deref()
            .and_then(EmailKind::parse);
    tx.commit().await?;
    if let Some(id) = updated {
        return Ok((get_by_id(&mut *db, id).await?, emailed));
    }
    // nothing updated: the issue is at the version seen and already as asked (the database
    // keeps a row that would not change), or it changed since, or it is gone
    let current = get_by_id(&mut *db, id).await?;
    if current.updated_at == change.seen {
        return Ok((current, None));
    }
    Err(explain_stale(db, id, change.seen).await)
}

/// Gives the issue the agent saw at version `seen` to `owner` (an agent login), or to
/// nobody; with `start`, an open issue goes in progress too (taking it). The database
/// refuses an owner that is not a CareDesk agent and records who assigned whom.
pub async fn assign(
    db: &mut PgConnection,
    id: i64,
    seen: DateTime<Utc>,
    owner: Option<&str>,
    start: bool,
) -> Result<Issue, Error> {
    let updated = sqlx::query_scalar!(
        r#"UPDATE customer_care
              SET owner = $3,
                  status = CASE WHEN $4 AND status = 'open' THEN 'in-progress' ELSE status END
            WHERE id = $1 AND updated_at = $2
        RETURNING id"#,
        id,
        seen,
        owner,
        start,
    )
    .fetch_optional(&mut *db)
    .await?;
    let current = get_by_id(&mut *db, id).await?;
    // no row updated but the version seen: already as asked (the database kept the row)
    if updated.is_some() || current.updated_at == seen {
        return Ok(current);
    }
    Err(explain_stale(db, id, seen).await)
}

/// Deletes a resolved issue the caller saw at version `seen` (the seed's "delete resolved
/// issues"). The database refuses to delete any other, whoever asks.
pub async fn delete(db: &mut PgConnection, id: i64, seen: DateTime<Utc>) -> Result<(), Error> {
    let deleted = sqlx::query_scalar!(
        "DELETE FROM customer_care WHERE id = $1 AND updated_at = $2 AND status = 'resolved' RETURNING id",
        id,
        seen
    )
    .fetch_optional(&mut *db)
    .await?;
    if deleted.is_some() {
        return Ok(());
    }
    let current = get_by_id(&mut *db, id).await?;
    if current.updated_at != seen {
        return Err(explain_stale(db, id, seen).await);
    }
    Err(Error::NotResolved {
        id,
        status: current.status,
    })
}

/// Why an update or delete based on version `seen` did not apply: gone, or changed since
/// (with the changes, from the timeline).
async fn explain_stale(db: &mut PgConnection, id: i64, seen: DateTime<Utc>) -> Error {
    let changes = match super::events::since(&mut *db, id, seen).await {
        Ok(changes) => changes,
        Err(error) => return error,
    };
    if changes.is_empty() {
        // no event after `seen`: the issue is gone, or the version never existed
        if let Err(error) = get_by_id(&mut *db, id).await {
            return error;
        }
    }
    Error::Conflict { id, changes }
}

/// Whether a mailer is delivering email now: then a response can reach the customer.
pub async fn mail_available(db: impl PgExecutor<'_>) -> Result<bool, Error> {
    Ok(
        sqlx::query_scalar!(r#"SELECT caredesk_mail_available() AS "available!""#)
            .fetch_one(db)
            .await?,
    )
}

/// The counts behind the views, from the counters the database keeps (exact, and as quick
/// at a million issues as at ten); resolved ones counted from `resolved_since` on.
pub async fn count_row(
    db: impl PgExecutor<'_>,
    resolved_since: DateTime<Utc>,
) -> Result<CountRow, Error> {
    let row = sqlx::query!(
        r#"SELECT coalesce(sum(issues) FILTER (WHERE status = 'open'), 0)::bigint AS "open!",
                  coalesce(sum(issues) FILTER (WHERE status = 'in-progress'), 0)::bigint AS "in_progress!",
                  coalesce(sum(issues) FILTER (WHERE status <> 'resolved' AND priority = 'urgent'), 0)::bigint AS "urgent_unresolved!",
                  (SELECT count(*) FROM customer_care WHERE resolved_at >= $1) AS "resolved_since!",
                  -- session_user is a name (collation C): in the column's collation, or
                  -- the owner index cannot answer it
                  (SELECT count(*) FROM customer_care
                    WHERE owner = session_user::text COLLATE "default" AND status <> 'resolved') AS "mine!",
                  (SELECT count(*) FROM customer_care
                    WHERE due_at < now() AND first_response_at IS NULL AND status <> 'resolved') AS "overdue!",
                  coalesce(sum(issues), 0)::bigint AS "total!"
             FROM customer_care_count"#,
        resolved_since
    )
    .fetch_one(db)
    .await?;
    Ok(CountRow {
        open: row.open,
        in_progress: row.in_progress,
        urgent_unresolved: row.urgent_unresolved,
        resolved_since: row.resolved_since,
        total: row.total,
        mine: row.mine,
        overdue: row.overdue,
    })
}
