//! Live changes: the database's NOTIFY channels and what their payloads claim, the events
//! the desktop passes on to its UI, and what a listener that was away must catch up on.
//!
//! A NOTIFY is a hint, never a fact: any login may send one, with any payload. Nothing is
//! shown for a hint until the row it names has been read back (`confirm_*`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgExecutor};

use crate::db::issues::{self, Issue};
use crate::desk::timeline::{Change, Event};
use crate::domain::{IssueType, Priority};
use crate::error::Error;

/// An insert into `customer_care` notifies this channel with `{id, priority, issue_type}`.
pub const ISSUE_CHANNEL: &str = "caredesk_issue";
/// An update or delete notifies this channel with `{id, deleted, by}` (`by`: the login).
pub const ISSUE_CHANGED_CHANNEL: &str = "caredesk_issue_changed";
/// The customer wrote again from the status page: `{id}`.
pub const CUSTOMER_MESSAGE_CHANNEL: &str = "caredesk_customer_message";
/// Every channel a desk listens on.
pub const CHANNELS: [&str; 3] = [
    ISSUE_CHANNEL,
    ISSUE_CHANGED_CHANNEL,
    CUSTOMER_MESSAGE_CHANNEL,
];

/// What a notification claims, before anyone believes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    Created { id: i64 },
    Changed { id: i64 },
    CustomerWrote { id: i64 },
}

#[derive(Deserialize)]
struct IdPayload {
    id: i64,
}

impl Hint {
    /// The hint in a notification, or `None` for an unknown channel or a payload that does
    /// not even name an issue.
    pub fn parse(channel: &str, payload: &str) -> Option<Hint> {
        let IdPayload { id } = serde_json::from_str(payload).ok()?;
        match channel {
            ISSUE_CHANNEL => Some(Hint::Created { id }),
            ISSUE_CHANGED_CHANNEL => Some(Hint::Changed { id }),
            CUSTOMER_MESSAGE_CHANNEL => Some(Hint::CustomerWrote { id }),
            _ => None,
        }
    }
}

/// An event the desktop sends its UI, by name.
pub trait DeskEvent: Serialize {
    const NAME: &'static str;
}

/// A new issue, read back from the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IssueCreated {
    pub id: i64,
    pub priority: Priority,
    pub issue_type: IssueType,
}

impl DeskEvent for IssueCreated {
    const NAME: &'static str = "issue-created";
}

impl From<&Issue> for IssueCreated {
    fn from(issue: &Issue) -> Self {
        Self {
            id: issue.id,
            priority: issue.priority,
            issue_type: issue.issue_type,
        }
    }
}

/// An issue another login changed or deleted, as its timeline tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IssueChanged {
    pub id: i64,
    pub deleted: bool,
    /// The login that made the change.
    pub by: String,
    /// What to tell an agent who has the issue open ("Issue #12: jonas set status to
    /// resolved"); `None` when it is nothing to interrupt for (an email delivered).
    pub said: Option<String>,
}

impl DeskEvent for IssueChanged {
    const NAME: &'static str = "issue-changed";
}

/// The customer of an issue wrote again, as the timeline tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CustomerWrote {
    pub id: i64,
    pub priority: Priority,
    pub name: String,
    /// What they wrote.
    pub text: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// "Amina Yusuf wrote again on issue #12", for the toast and the notification.
    pub summary: String,
}

impl DeskEvent for CustomerWrote {
    const NAME: &'static str = "customer-wrote";
}

/// Whether the desk reaches its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DbStatus {
    pub online: bool,
    pub message: Option<String>,
}

impl DeskEvent for DbStatus {
    const NAME: &'static str = "db-status";
}

/// The issue a "created" hint names, if it exists. One query, so that the listener can ask
/// on its own connection.
pub async fn confirm_created(db: impl PgExecutor<'_>, id: i64) -> Result<Option<Issue>, Error> {
    match issues::get_by_id(db, id).await {
        Ok(issue) => Ok(Some(issue)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// What a "changed" hint names, as the database tells it: deleted if the issue is gone and
/// its timeline ends in a deletion, changed if it exists and has been changed, and nothing
/// for an id that never was an issue or an issue nobody changed. One query.
pub async fn confirm_change(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<IssueChanged>, Error> {
    let Some(row) = sqlx::query!(
        r#"SELECT e.id, e.at, e.actor, e.kind, e.detail,
                  EXISTS (SELECT 1 FROM customer_care WHERE id = $1) AS "exists!"
             FROM customer_care_event e WHERE e.issue_id = $1
            ORDER BY e.at DESC, e.id DESC LIMIT 1"#,
        id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let latest = Event::new(
        row.id,
        id,
        row.at,
        row.actor,
        Change::from_stored(&row.kind, row.detail),
    );
    let deleted = matches!(
        latest.change,
        Change::Deleted { .. } | Change::Erased { .. }
    );
    let changed = !matches!(latest.change, Change::Created { .. });
    let confirmed = if row.exists {
        changed && !deleted
    } else {
        deleted
    };
    let said = match latest.change {
        Change::Emailed { .. } => None,
        _ => Some(format!("Issue #{id}: {}", latest.summary)),
    };
    Ok(confirmed.then_some(IssueChanged {
        id,
        deleted,
        by: latest.actor,
        said,
    }))
}

/// The customer's newest message on an issue, read back: `None` when there is none.
pub async fn confirm_customer_wrote(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<CustomerWrote>, Error> {
    let row = sqlx::query!(
        r#"SELECT c.id, c.priority AS "priority: Priority", c.name, e.at,
                  e.detail->>'text' AS "text!"
             FROM customer_care c
             JOIN LATERAL (SELECT at, detail FROM customer_care_event
                            WHERE issue_id = c.id AND kind = 'customer_message'
                            ORDER BY at DESC, id DESC LIMIT 1) e ON true
            WHERE c.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| CustomerWrote {
        summary: format!("{} wrote again on issue #{}", row.name, row.id),
        id: row.id,
        priority: row.priority,
        name: row.name,
        text: row.text,
        at: row.at,
    }))
}

/// Missed reports announced after a reconnect, at most; the refreshed list shows the rest.
pub const CATCH_UP_LIMIT: i64 = 50;
/// How far below the newest id a catch-up looks, for reports that committed late.
const LOOK_BACK_IDS: i64 = 100;

/// What a listener has announced, so that after a reconnect it announces what it missed,
/// once each.
#[derive(Debug, Default)]
pub struct CatchUp {
    /// The newest issue when the agent signed in: nothing older is announced.
    floor: Option<i64>,
    /// The newest issue announced since.
    newest: i64,
    /// Ids announced lately, so that looking back (for reports that got their id before
    /// others but committed after them) announces none twice.
    recent: BTreeSet<i64>,
}

impl CatchUp {
    /// Starts from the newest issue at sign-in.
    pub fn start_at(&mut self, newest: i64) {
        self.floor = Some(newest);
        self.newest = newest;
    }

    pub fn started(&self) -> bool {
        self.floor.is_some()
    }

    /// Whether an issue is news: reported after sign-in and not announced yet.
    pub fn is_news(&self, id: i64) -> bool {
        self.floor.is_some_and(|floor| id > floor) && !self.recent.contains(&id)
    }

    /// Records an announced issue; only ids read back from the database belong here.
    pub fn announced(&mut self, id: i64) {
        self.newest = self.newest.max(id);
        self.recent.insert(id);
        let keep_from = self.newest - LOOK_BACK_IDS;
        self.recent = self.recent.split_off(&keep_from);
    }

    /// Where a catch-up starts: a little before the newest id, never before sign-in.
    pub fn after(&self) -> Option<i64> {
        self.floor
            .map(|floor| floor.max(self.newest - LOOK_BACK_IDS))
    }

    pub fn recent(&self) -> Vec<i64> {
        self.recent.iter().copied().collect()
    }
}

/// The reports a listener missed, newest first (at most `CATCH_UP_LIMIT`), with how many
/// there are in all.
pub async fn missed(
    db: &mut PgConnection,
    catch_up: &CatchUp,
) -> Result<Option<(Vec<Issue>, i64)>, Error> {
    let Some(after) = catch_up.after() else {
        return Ok(None);
    };
    let found = issues::created_after(db, after, &catch_up.recent(), CATCH_UP_LIMIT).await?;
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_needs_a_known_channel_and_an_id() {
        assert_eq!(
            Hint::parse(
                ISSUE_CHANNEL,
                r#"{"id": 7, "priority": "urgent", "issue_type": "damaged"}"#
            ),
            Some(Hint::Created { id: 7 })
        );
        assert_eq!(
            Hint::parse(
                ISSUE_CHANGED_CHANNEL,
                r#"{"id": 7, "deleted": true, "by": "maria"}"#
            ),
            Some(Hint::Changed { id: 7 })
        );
        assert_eq!(Hint::parse("other_channel", r#"{"id": 7}"#), None);
        assert_eq!(Hint::parse(ISSUE_CHANNEL, "not json"), None);
        assert_eq!(Hint::parse(ISSUE_CHANNEL, r#"{"id": "7"}"#), None);
        assert_eq!(
            Hint::parse(ISSUE_CHANNEL, r#"{"id": 99999999999999999999999}"#),
            None,
            "beyond any issue id"
        );
    }

    #[test]
    fn catching_up_looks_back_a_little_but_never_before_sign_in() {
        let mut seen = CatchUp::default();
        assert_eq!(seen.after(), None, "not signed in yet: no catch-up");
        seen.start_at(500);
        assert_eq!(seen.after(), Some(500));
        seen.announced(650);
        assert_eq!(seen.after(), Some(550));
        assert!(!seen.is_news(650), "announced already");
        assert!(!seen.is_news(400), "older than the sign-in");
        assert!(seen.is_news(651));
        seen.announced(800);
        assert_eq!(
            seen.recent(),
            [800],
            "ids out of the look-back are forgotten"
        );
    }
}
