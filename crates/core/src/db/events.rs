//! The timeline: every change to an issue, written by the database's own triggers in the
//! changing transaction, naming the database login that made it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgExecutor;

use crate::error::Error;

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub issue_id: i64,
    pub at: DateTime<Utc>,
    /// The database login that made the change.
    pub actor: String,
    /// created, status_changed, priority_changed, responded, contact_changed, deleted
    pub kind: String,
    /// What changed, e.g. `{"from": "open", "to": "resolved"}`.
    #[cfg_attr(feature = "ts", ts(type = "any"))]
    pub detail: serde_json::Value,
}

impl Event {
    /// A short sentence for people: "amina set status from open to resolved at 14:02 UTC".
    pub fn describe(&self) -> String {
        let text = |key: &str| {
            self.detail
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_owned()
        };
        let what = match self.kind.as_str() {
            "created" => "reported the issue".to_owned(),
            "status_changed" => format!("set status from {} to {}", text("from"), text("to")),
            "priority_changed" => format!("set priority from {} to {}", text("from"), text("to")),
            "responded" => "responded".to_owned(),
            "contact_changed" => "changed the contact details".to_owned(),
            "deleted" => "deleted the issue".to_owned(),
            other => other.to_owned(),
        };
        format!(
            "{} {} at {} UTC",
            self.actor,
            what,
            self.at.format("%Y-%m-%d %H:%M:%S")
        )
    }
}

/// The whole life of an issue, oldest first (also for a deleted issue).
pub async fn timeline(db: impl PgExecutor<'_>, issue_id: i64) -> Result<Vec<Event>, Error> {
    Ok(sqlx::query_as!(
        Event,
        "SELECT id, issue_id, at, actor, kind, detail FROM customer_care_event WHERE issue_id = $1 ORDER BY at, id",
        issue_id
    )
    .fetch_all(db)
    .await?)
}

/// The changes made to an issue after version `seen` (its `updated_at` then).
pub(crate) async fn since(
    db: impl PgExecutor<'_>,
    issue_id: i64,
    seen: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    Ok(sqlx::query_as!(
        Event,
        "SELECT id, issue_id, at, actor, kind, detail FROM customer_care_event
          WHERE issue_id = $1 AND at > $2 AND kind <> 'created' ORDER BY at, id",
        issue_id,
        seen
    )
    .fetch_all(db)
    .await?)
}
