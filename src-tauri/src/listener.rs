//! Live updates: LISTENs with the agent's login, tells the UI about each new issue
//! (`issue-created`) and each change or deletion (`issue-changed`), raises a desktop
//! notification for the priorities the agent chose, and reports the connection
//! (`db-status`), reconnecting by itself. After a reconnect it announces the reports that
//! arrived while it was away, so an urgent one is not missed.

use std::collections::HashSet;
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

/// Runs until aborted (at sign-out).
pub async fn run<R: Runtime>(app: AppHandle<R>, pool: PgPool) {
    let mut online = true;
    // the newest issue this listener knows of; reports above it after a reconnect were missed
    let mut newest: Option<i64> = None;
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
        let caught_up = match newest {
            None => {
                newest = issues::newest_id(&pool).await.ok();
                HashSet::new()
            }
            Some(after) => catch_up(&app, &pool, after, &mut newest).await,
        };
        // try_recv gives None when the connection drops; then subscribe afresh
        while let Ok(Some(notification)) = listener.try_recv().await {
            dispatch(&app, &pool, &notification, &caught_up, &mut newest).await;
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
    caught_up: &HashSet<i64>,
    newest: &mut Option<i64>,
) {
    let payload = notification.payload();
    match notification.channel() {
        ISSUE_CHANNEL => match serde_json::from_str::<IssueCreated>(payload) {
            Ok(created) if caught_up.contains(&created.id) => {}
            Ok(created) => {
                *newest = (*newest).max(Some(created.id));
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

/// Announces the reports that arrived after `after` while the listener was away and
/// returns their ids (their NOTIFYs may still arrive on the new connection).
async fn catch_up<R: Runtime>(
    app: &AppHandle<R>,
    pool: &PgPool,
    after: i64,
    newest: &mut Option<i64>,
) -> HashSet<i64> {
    let missed = match issues::created_after(pool, after, CATCH_UP_LIMIT).await {
        Ok(missed) => missed,
        Err(error) => {
            tracing::warn!(%error, "could not look for reports missed while offline");
            return HashSet::new();
        }
    };
    let level = notify_level(app);
    let mut worth_notifying = Vec::new();
    for issue in &missed {
        *newest = (*newest).max(Some(issue.id));
        let _ = app.emit(
            ISSUE_CREATED_EVENT,
            IssueCreated {
                id: issue.id,
                priority: issue.priority,
                issue_type: issue.issue_type,
            },
        );
        if should_notify(level, issue.priority) {
            worth_notifying.push(issue);
        }
    }
    if worth_notifying.len() <= MAX_SINGLE_NOTIFICATIONS {
        for issue in worth_notifying {
            let (title, body) = notification_text(issue);
            show(app, title, body);
        }
    } else {
        show(
            app,
            format!(
                "{} issues arrived while CareDesk was offline",
                worth_notifying.len()
            ),
            "They are at the top of the list.".into(),
        );
    }
    if !missed.is_empty() {
        tracing::info!(
            count = missed.len(),
            "announced reports missed while offline"
        );
    }
    missed.iter().map(|issue| issue.id).collect()
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
