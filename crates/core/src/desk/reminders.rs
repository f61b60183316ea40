//! Reminders on the desktop's own clock: an urgent issue nobody has taken comes back as a
//! notification every few minutes (the agent's setting) until an agent takes it, and an
//! issue that turns overdue notifies its owner, or everyone when it has none. Each desktop
//! asks the database when its clock says so, so a take on any desktop silences the
//! reminder on all of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgExecutor};

use crate::db::Issue;
use crate::db::issues::select_issues;
use crate::db::list::{self, Cursor, IssueFilter, OwnerFilter};
use crate::domain::Priority;
use crate::error::Error;

/// How often an urgent issue nobody has taken is brought up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RemindEvery {
    FiveMinutes,
    #[default]
    TenMinutes,
    ThirtyMinutes,
    Never,
}

impl RemindEvery {
    pub const ALL: &'static [RemindEvery] = &[
        RemindEvery::FiveMinutes,
        RemindEvery::TenMinutes,
        RemindEvery::ThirtyMinutes,
        RemindEvery::Never,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RemindEvery::FiveMinutes => "Every 5 minutes",
            RemindEvery::TenMinutes => "Every 10 minutes",
            RemindEvery::ThirtyMinutes => "Every 30 minutes",
            RemindEvery::Never => "Never",
        }
    }

    /// The pause between reminders; `None`: no reminders.
    pub fn interval(self) -> Option<std::time::Duration> {
        let minutes = match self {
            RemindEvery::FiveMinutes => 5,
            RemindEvery::TenMinutes => 10,
            RemindEvery::ThirtyMinutes => 30,
            RemindEvery::Never => return None,
        };
        Some(std::time::Duration::from_secs(minutes * 60))
    }
}

/// The most issues one reminder round names; more become one summary.
pub const REMINDER_LIMIT: i64 = 20;

/// Urgent, unresolved issues nobody owns, reported at or before `reported_by` (so a report
/// that just raised its own notification is not brought up again at once), newest first:
/// the list's own query, from a cursor just after `reported_by`.
pub async fn unowned_urgent(
    db: &mut PgConnection,
    reported_by: DateTime<Utc>,
) -> Result<Vec<Issue>, Error> {
    let filter = IssueFilter {
        priority: Some(Priority::Urgent),
        unresolved: true,
        owner: Some(OwnerFilter::Nobody),
        ..IssueFilter::default()
    };
    let from = Cursor {
        created_at: reported_by,
        id: i64::MAX,
    };
    Ok(list::page(db, &filter, Some(from), REMINDER_LIMIT)
        .await?
        .issues)
}

/// Issues whose first response fell due in (`after`, `until`] without one, still
/// unresolved, that the signed-in agent owns or nobody does; soonest due first.
pub async fn turned_overdue(
    db: impl PgExecutor<'_>,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Issue>, Error> {
    Ok(select_issues!(
        r#"WHERE due_at > $1 AND due_at <= $2
              AND first_response_at IS NULL AND status <> 'resolved'
              AND (owner IS NULL OR owner = session_user::text COLLATE "default")
            ORDER BY due_at, id
            LIMIT $3"#,
        after,
        until,
        REMINDER_LIMIT,
    )
    .fetch_all(db)
    .await?)
}
