//! Live updates: LISTENs with the agent's login, tells the UI about each new issue
//! (`issue-created`) and each change or deletion (`issue-changed`), raises a desktop
//! notification for the priorities the agent chose, and reports the connection
//! (`db-status`), reconnecting by itself. After a reconnect it announces the reports that
//! arrived while it was away, so an urgent one is not missed.

use std::collections::BTreeSet;
use std::time::Duration;

use caredesk_core::db::{ISSUE_CHANGED_CHANNEL, ISSUE_CHANNEL, Issue, issues};
use caredesk_core::domain::{IssueType, Priority};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::{PgListener, PgNotification};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::settings::{self, NotifyLevel};

pub const ISSUE_CREATED_EVENT: &str = "issue-created";
pub const ISSUE_CHANGED_EVENT: &str = "issue-changed";
pub const DB_STATUS_EVENT: &str = "db-status";
const RETRY_EVERY: Duration = Duration::from_secs(2);
/// Missed reports announced after a reconnect, at most; the refreshed list shows the rest.
const CATCH_UP_LIMIT: i64 = 50;
/// More missed notifications than this become one summary instead of a burst.
const MAX_SINGLE_NOTIFICATIONS: usize = 3;
/// How far below the newest id a catch-up looks, for reports that committed late.
const LOOK_BACK_IDS: i64 = 100;

/// The NOTIFY payload of a new issue, passed on to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueCreated {
    #[ts(type = "number")]
    pub id: i64,
    pub priority: Priority,
    pub issue_type: IssueType,
}

/// The NOTIFY payload of a changed or deleted issue, passed on to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueChanged {
    #[ts(type = "number")]
    pub id: i64,
    pub deleted: bool,
    /// The login that made the change.
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DbStatus {
    pub online: bool,
    pub message: Option<String>,
}

/// Whether a new issue of this priority deserves a notification under `level`.
pub fn should_notify(level: NotifyLevel, priority: Priority) -> bool {
    match level {
        NotifyLevel::None => false,
        NotifyLevel::Urgent => priority == Priority::Urgent,
        NotifyLevel::HighAndUrgent => matches!(priority, Priority::High | Priority::Urgent),
    }
}

/// What the listener knows of the issues so far: which reports after a reconnect are new.
#[derive(Debug, Default)]
struct Seen {
    /// The newest issue when the agent signed in: nothing older is announced.
    floor: Option<i64>,
    /// The newest issue announced since.
    newest: i64,
    /// Ids announced lately, so that looking back (for reports that got their id before
    /// others but committed after them) announces none twice.
    recent: BTreeSet<i64>,
}

impl Seen {
    fn announced(&mut self, id: i64) {
        self.newest = self.newest.max(id);
        self.recent.insert(id);
        let keep_from = self.newest - LOOK_BACK_IDS;
        self.recent = self.recent.split_off(&keep_from);
    }

    /// Where a catch-up starts: a little before the newest id, never before sign-in.
    fn catch_up_after(&self) -> Option<i64> {
        self.floor
            .map(|floor| floor.max(self.newest - LOOK_BACK_IDS))
    }
}

/// Runs until aborted (at sign-out).
pub async fn run<R: Runtime>(app: AppHandle<R>, pool: PgPool) {
    let mut online = true;
    let mut seen = Seen::default();
    loop {
        let mut listener = match subscribe(&pool).await {
            Ok(listener) => listener,
            Err(error) => {
                set_status(&app, &mut online, false, Some(error.to_string()));
                tokio::time::sleep(RETRY_EVERY).await;
                continue;
            }
        };
        set_status(&app, &mut online, true, None);
        // LISTEN is on before catching up, so nothing falls between; what both see is
        // announced once
        match seen.catch_up_after() {
            None => {
                seen.floor = issues::newest_id(&pool).await.ok();
                seen.newest = seen.floor.unwrap_or(0);
            }
            Some(after) => {
                match catch_up(&app, &pool, after, &mut seen).await {
                    Ok(()) => {}
                    // the database went away again: catch up on the next connection rather
                    // than miss those reports
                    Err(caredesk_core::Error::Unavailable(_)) => {
                        tokio::time::sleep(RETRY_EVERY).await;
                        continue;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "could not look for reports missed while offline")
                    }
                }
            }
        }
        // try_recv gives None when the connection drops; then subscribe afresh
        while let Ok(Some(notification)) = listener.try_recv().await {
            dispatch(&app, &pool, &notification, &mut seen).await;
        }
        set_status(
            &app,
            &mut online,
            false,
            Some("The connection to the database was lost.".into()),
        );
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener
        .listen_all([ISSUE_CHANNEL, ISSUE_CHANGED_CHANNEL])
        .await?;
    Ok(listener)
}

async fn dispatch<R: Runtime>(
    app: &AppHandle<R>,
    pool: &PgPool,
    notification: &PgNotification,
    seen: &mut Seen,
) {
    let payload = notification.payload();
    match notification.channel() {
        ISSUE_CHANNEL => match serde_json::from_str::<IssueCreated>(payload) {
            Ok(created) if seen.recent.contains(&created.id) => {}
            Ok(created) => {
                seen.announced(created.id);
                announce(app, pool, created).await;
            }
            Err(error) => tracing::warn!(%error, "ignoring a malformed caredesk_issue payload"),
        },
        ISSUE_CHANGED_CHANNEL => match serde_json::from_str::<IssueChanged>(payload) {
            Ok(changed) => {
                let _ = app.emit(ISSUE_CHANGED_EVENT, &changed);
            }
            Err(error) => {
                tracing::warn!(%error, "ignoring a malformed caredesk_issue_changed payload")
            }
        },
        other => tracing::warn!(
            channel = other,
            "ignoring a notification on an unknown channel"
        ),
    }
}

fn set_status<R: Runtime>(
    app: &AppHandle<R>,
    online: &mut bool,
    now_online: bool,
    message: Option<String>,
) {
    if *online == now_online && now_online {
        return;
    }
    *online = now_online;
    if let Some(message) = &message {
        tracing::warn!(%message, "database offline; retrying");
    } else {
        tracing::info!("database online");
    }
    let _ = app.emit(
        DB_STATUS_EVENT,
        DbStatus {
            online: now_online,
            message,
        },
    );
}

fn notify_level<R: Runtime>(app: &AppHandle<R>) -> NotifyLevel {
    settings::load(app)
        .map(|s| s.notify_level)
        .unwrap_or_default()
}

async fn announce<R: Runtime>(app: &AppHandle<R>, pool: &PgPool, created: IssueCreated) {
    let _ = app.emit(ISSUE_CREATED_EVENT, &created);
    if !should_notify(notify_level(app), created.priority) {
        return;
    }
    let (title, body) = match issues::get_by_id(pool, created.id).await {
        Ok(issue) => notification_text(&issue),
        // still worth a notification without the details
        Err(_) => (
            format!(
                "{} {} issue #{}",
                created.priority.icon(),
                created.priority.label(),
                created.id
            ),
            format!(
                "{} {}",
                created.issue_type.icon(),
                created.issue_type.label()
            ),
        ),
    };
    show(app, title, body);
}

/// Announces the reports that arrived after `after` while the listener was away (their
/// NOTIFYs may still arrive on the new connection: `seen` skips those).
async fn catch_up<R: Runtime>(
    app: &AppHandle<R>,
    pool: &PgPool,
    after: i64,
    seen: &mut Seen,
) -> Result<(), caredesk_core::Error> {
    let already_seen: Vec<i64> = seen.recent.iter().copied().collect();
    let mut conn = pool.acquire().await?;
    let (missed, total) =
        issues::created_after(&mut conn, after, &already_seen, CATCH_UP_LIMIT).await?;
    drop(conn);
    let level = notify_level(app);
    // oldest first, as they would have arrived
    let missed: Vec<&Issue> = missed.iter().rev().collect();
    for issue in &missed {
        seen.announced(issue.id);
        let _ = app.emit(
            ISSUE_CREATED_EVENT,
            IssueCreated {
                id: issue.id,
                priority: issue.priority,
                issue_type: issue.issue_type,
            },
        );
    }
    let worth_notifying: Vec<&&Issue> = missed
        .iter()
        .filter(|issue| should_notify(level, issue.priority))
        .collect();
    if worth_notifying.len() <= MAX_SINGLE_NOTIFICATIONS && total <= CATCH_UP_LIMIT {
        for issue in worth_notifying {
            let (title, body) = notification_text(issue);
            show(app, title, body);
        }
    } else if !worth_notifying.is_empty() {
        show(
            app,
            missed_summary(worth_notifying.len(), total),
            "They are at the top of the list.".into(),
        );
    }
    if total > 0 {
        tracing::info!(count = total, "reports arrived while offline");
    }
    Ok(())
}

/// One notification for many missed reports: how many deserve attention, of how many.
fn missed_summary(worth_notifying: usize, total: i64) -> String {
    if total > CATCH_UP_LIMIT {
        format!(
            "{total} issues arrived while CareDesk was offline ({worth_notifying} of the newest {CATCH_UP_LIMIT} need attention)"
        )
    } else {
        format!("{worth_notifying} issues that need attention arrived while CareDesk was offline")
    }
}

/// Title and body of a new issue's notification: priority, id and customer; type and order.
fn notification_text(issue: &Issue) -> (String, String) {
    (
        format!(
            "{} {} issue #{}: {}",
            issue.priority.icon(),
            issue.priority.label(),
            issue.id,
            issue.name
        ),
        format!(
            "{} {}{}",
            issue.issue_type.icon(),
            issue.issue_type.label(),
            issue
                .order_id
                .as_ref()
                .map(|o| format!(" · order {o}"))
                .unwrap_or_default()
        ),
    )
}

fn show<R: Runtime>(app: &AppHandle<R>, title: String, body: String) {
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "could not show a notification");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_levels_choose_priorities() {
        assert!(should_notify(NotifyLevel::Urgent, Priority::Urgent));
        assert!(!should_notify(NotifyLevel::Urgent, Priority::High));
        assert!(should_notify(NotifyLevel::HighAndUrgent, Priority::High));
        assert!(!should_notify(NotifyLevel::HighAndUrgent, Priority::Normal));
        assert!(!should_notify(NotifyLevel::None, Priority::Urgent));
    }

    #[test]
    fn catching_up_looks_back_a_little_but_never_before_sign_in() {
        let mut seen = Seen::default();
        assert_eq!(
            seen.catch_up_after(),
            None,
            "not signed in yet: no catch-up"
        );
        seen.floor = Some(500);
        seen.newest = 500;
        assert_eq!(seen.catch_up_after(), Some(500));
        seen.announced(650);
        assert_eq!(seen.catch_up_after(), Some(550));
        assert!(seen.recent.contains(&650));
        seen.announced(800);
        assert_eq!(
            seen.recent.iter().copied().collect::<Vec<_>>(),
            [800],
            "ids out of the look-back are forgotten"
        );
    }

    #[test]
    fn many_missed_reports_make_one_summary() {
        assert_eq!(
            missed_summary(4, 9),
            "4 issues that need attention arrived while CareDesk was offline"
        );
        assert_eq!(
            missed_summary(2, 300),
            "300 issues arrived while CareDesk was offline (2 of the newest 50 need attention)"
        );
    }

    #[test]
    fn the_change_payload_parses() {
        let changed: IssueChanged =
            serde_json::from_str(r#"{"id": 7, "deleted": true, "by": "maria"}"#).unwrap();
        assert_eq!(
            changed,
            IssueChanged {
                id: 7,
                deleted: true,
                by: "maria".into()
            }
        );
    }

    #[test]
    fn the_notify_payload_parses() {
        let created: IssueCreated =
            serde_json::from_str(r#"{"id": 7, "priority": "urgent", "issue_type": "damaged"}"#)
                .unwrap();
        assert_eq!(
            created,
            IssueCreated {
                id: 7,
                priority: Priority::Urgent,
                issue_type: IssueType::Damaged
            }
        );
    }
}
