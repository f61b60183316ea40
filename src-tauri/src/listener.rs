//! Live updates: LISTENs on `caredesk_issue` with the agent's login, tells the UI about
//! each new issue (`issue-created`), raises a desktop notification for the priorities the
//! agent chose, and reports the connection (`db-status`), reconnecting by itself.

use std::time::Duration;

use caredesk_core::db::{ISSUE_CHANNEL, issues};
use caredesk_core::domain::{IssueType, Priority};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::settings::{self, NotifyLevel};

pub const ISSUE_CREATED_EVENT: &str = "issue-created";
pub const DB_STATUS_EVENT: &str = "db-status";
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// The NOTIFY payload, passed on to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueCreated {
    #[ts(type = "number")]
    pub id: i64,
    pub priority: Priority,
    pub issue_type: IssueType,
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
        // try_recv gives None when the connection drops; then subscribe afresh
        while let Ok(Some(notification)) = listener.try_recv().await {
            match serde_json::from_str::<IssueCreated>(notification.payload()) {
                Ok(created) => announce(&app, &pool, created).await,
                Err(error) => tracing::warn!(%error, "ignoring a malformed caredesk_issue payload"),
            }
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
    listener.listen(ISSUE_CHANNEL).await?;
    Ok(listener)
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

async fn announce<R: Runtime>(app: &AppHandle<R>, pool: &PgPool, created: IssueCreated) {
    let _ = app.emit(ISSUE_CREATED_EVENT, &created);
    let level = settings::load(app)
        .map(|s| s.notify_level)
        .unwrap_or_default();
    if !should_notify(level, created.priority) {
        return;
    }
    let (title, body) = match issues::get_by_id(pool, created.id).await {
        Ok(issue) => (
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
                    .map(|o| format!(" · order {o}"))
                    .unwrap_or_default()
            ),
        ),
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
