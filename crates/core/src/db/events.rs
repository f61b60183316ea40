//! The timeline: every change to an issue, written by the database's own triggers in the
//! changing transaction, naming the database login that made it.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::desk::timeline::{Change, Event};
use crate::domain::text::Note;
use crate::error::Error;
use crate::sqlstate;

/// A row of `customer_care_event`, before its detail is typed.
struct StoredEvent {
    id: i64,
    issue_id: i64,
    at: DateTime<Utc>,
    actor: String,
    kind: String,
    detail: serde_json::Value,
}

impl From<StoredEvent> for Event {
    fn from(row: StoredEvent) -> Self {
        let change = Change::from_stored(&row.kind, row.detail);
        Event::new(row.id, row.issue_id, row.at, row.actor, change)
    }
}

/// The whole life of an issue, oldest first (also for a deleted issue), with the lives of
/// the issues merged into it: their events keep their own issue id, and their reports carry
/// the merged issue's description.
pub async fn timeline(db: impl PgExecutor<'_>, issue_id: i64) -> Result<Vec<Event>, Error> {
    let rows = sqlx::query_as!(
        StoredEvent,
        r#"SELECT e.id, e.issue_id, e.at, e.actor, e.kind,
                  CASE WHEN e.issue_id <> $1 AND e.kind = 'created' AND c.description IS NOT NULL
                       THEN e.detail || jsonb_build_object('description', c.description)
                       ELSE e.detail END AS "detail!"
             FROM customer_care_event e
             LEFT JOIN customer_care c ON c.id = e.issue_id
            WHERE e.issue_id = $1
               OR e.issue_id IN (SELECT m.id FROM customer_care m WHERE m.merged_into = $1)
            ORDER BY e.at, e.id"#,
        issue_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The changes made to an issue after version `seen` (its `updated_at` then).
pub(crate) async fn since(
    db: impl PgExecutor<'_>,
    issue_id: i64,
    seen: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    let rows = sqlx::query_as!(
        StoredEvent,
        "SELECT id, issue_id, at, actor, kind, detail FROM customer_care_event
          WHERE issue_id = $1 AND at > $2 AND kind <> 'created' ORDER BY at, id",
        issue_id,
        seen
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The newest event of an issue, if it has any (a deleted issue keeps its events).
pub async fn latest(db: impl PgExecutor<'_>, issue_id: i64) -> Result<Option<Event>, Error> {
    let row = sqlx::query_as!(
        StoredEvent,
        "SELECT id, issue_id, at, actor, kind, detail FROM customer_care_event
          WHERE issue_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
        issue_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Event::from))
}

/// Adds an agent's internal note to an issue's timeline; the database writes who and when
/// and tells the other desktops. Returns the note's event id.
pub async fn add_note(db: impl PgExecutor<'_>, issue_id: i64, note: &Note) -> Result<i64, Error> {
    sqlx::query_scalar!(
        r#"SELECT public.caredesk_add_note($1, $2) AS "id!""#,
        issue_id,
        note.as_str()
    )
    .fetch_one(db)
    .await
    .map_err(|error| {
        if sqlstate::is(&error, sqlstate::NO_DATA_FOUND) {
            Error::NotFound(issue_id)
        } else {
            error.into()
        }
    })
}
