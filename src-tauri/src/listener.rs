//! The live connection's I/O: LISTENs with the agent's login, reads each notification's
//! hint back through core, passes what the database confirms to the UI, shows the desktop
//! notifications core words, and reports the connection (`db-status`), reconnecting by
//! itself. After a reconnect it announces the reports that arrived while it was away.

use std::time::Duration;

use caredesk_core::db::issues;
use caredesk_core::desk::live::{self, CatchUp, DbStatus, DeskEvent, Hint, IssueCreated};
use caredesk_core::desk::notice::{Notice, NotifyLevel};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::settings;

const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Runs until aborted (at sign-out).
pub async fn run<R: Runtime>(app: AppHandle<R>, pool: PgPool) {
    let mut online = true;
    let mut catch_up = CatchUp::default();
    loop {
        // where announcing starts: the newest report at sign-in, read before LISTEN so that
        // a report committed in between is caught up on below, not lost
        if !catch_up.started() {
            match issues::newest_id(&pool).await {
                Ok(newest) => catch_up.start_at(newest),
                Err(error) => {
                    set_status(&app, &mut online, false, Some(error.to_string()));
                    tokio::time::sleep(RETRY_EVERY).await;
                    continue;
                }
            }
        }
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
        match announce_missed(&app, &pool, &mut catch_up).await {
            Ok(()) => {}
            // the database went away again: catch up on the next connection rather than
            // miss those reports
            Err(caredesk_core::Error::Unavailable(_)) => {
                tokio::time::sleep(RETRY_EVERY).await;
                continue;
            }
            Err(error) => tracing::warn!(%error, "could not look for reports missed while offline"),
        }
        // try_recv gives None when the connection drops; then subscribe afresh
        while let Ok(Some(notification)) = listener.try_recv().await {
            match Hint::parse(notification.channel(), notification.payload()) {
                Some(hint) => follow(&app, &mut listener, hint, &mut catch_up).await,
                None => tracing::warn!(
                    channel = notification.channel(),
                    "ignoring a notification that names no issue"
                ),
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
    listener.listen_all(live::CHANNELS).await?;
    Ok(listener)
}

/// Acts on a hint once the database has confirmed it: a new issue is announced (and
/// notified, if the agent wants it), a change or deletion passed on. The reading back
/// happens on the listening connection itself, so an idle desktop needs no other.
async fn follow<R: Runtime>(
    app: &AppHandle<R>,
    listener: &mut PgListener,
    hint: Hint,
    catch_up: &mut CatchUp,
) {
    let followed = async {
        match hint {
            Hint::Created { id } if catch_up.is_news(id) => {
                if let Some(issue) = live::confirm_created(&mut *listener, id).await? {
                    catch_up.announced(issue.id);
                    emit(app, &IssueCreated::from(&issue));
                    if notify_level(app).wants(issue.priority) {
                        show(app, Notice::new_issue(&issue));
                    }
                }
            }
            Hint::Created { .. } => {}
            Hint::Changed { id } => {
                if let Some(change) = live::confirm_change(&mut *listener, id).await? {
                    emit(app, &change);
                }
            }
            Hint::CustomerWrote { id } => {
                if let Some(wrote) = live::confirm_customer_wrote(&mut *listener, id).await? {
                    emit(app, &wrote);
                    if notify_level(app).wants(wrote.priority) {
                        show(app, Notice::customer_wrote(&wrote));
                    }
                }
            }
        }
        Ok::<(), caredesk_core::Error>(())
    };
    if let Err(error) = followed.await {
        tracing::warn!(%error, "could not read back what a notification named");
    }
}

/// Announces the reports that arrived while the listener was away (their NOTIFYs may still
/// arrive on the new connection: `catch_up` skips those).
async fn announce_missed<R: Runtime>(
    app: &AppHandle<R>,
    pool: &PgPool,
    catch_up: &mut CatchUp,
) -> Result<(), caredesk_core::Error> {
    let mut conn = pool.acquire().await?;
    let Some((missed, total)) = live::missed(&mut conn, catch_up).await? else {
        return Ok(());
    };
    drop(conn);
    // oldest first, as they would have arrived
    for issue in missed.iter().rev() {
        catch_up.announced(issue.id);
        emit(app, &IssueCreated::from(issue));
    }
    for notice in Notice::for_missed(notify_level(app), &missed, total) {
        show(app, notice);
    }
    if total > 0 {
        tracing::info!(count = total, "reports arrived while offline");
    }
    Ok(())
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
    emit(
        app,
        &DbStatus {
            online: now_online,
            message,
        },
    );
}

fn emit<R: Runtime, E: DeskEvent>(app: &AppHandle<R>, event: &E) {
    if let Err(error) = app.emit(E::NAME, event) {
        tracing::warn!(%error, event = E::NAME, "could not reach the window");
    }
}

fn notify_level<R: Runtime>(app: &AppHandle<R>) -> NotifyLevel {
    settings::load(app)
        .map(|s| s.notify_level)
        .unwrap_or_default()
}

pub(crate) fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
    // Linux notification servers read the body as markup; elsewhere it is plain text
    #[cfg(target_os = "linux")]
    let body = caredesk_core::desk::notice::escape_markup(&notice.body);
    #[cfg(not(target_os = "linux"))]
    let body = notice.body;
    let shown = app
        .notification()
        .builder()
        .title(notice.title)
        .body(body)
        .show();
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show a notification");
    }
}
