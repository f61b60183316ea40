//! The reminder clock of a signed-in desktop (what to remind of, and the words, are core's):
//! every `remind_every`, the urgent issues nobody has taken; every minute, the issues that
//! turned overdue since the last look. Each round asks the database afresh, so a take on
//! any desktop silences the reminders on all of them.

use std::time::{Duration, Instant};

use caredesk_core::db::Issue;
use caredesk_core::desk::notice::{Notice, NotifyLevel};
use caredesk_core::desk::reminders;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tauri::{AppHandle, Runtime};

use crate::listener::show;
use crate::settings;

const TICK: Duration = Duration::from_secs(1);
const OVERDUE_EVERY: Duration = Duration::from_secs(60);

/// `CAREDESK_REMIND_SECONDS` replaces the setting's pause between reminders (the desktop
/// end-to-end suite waits seconds, not minutes); "never" stays never.
fn forced_pause() -> Option<Duration> {
    std::env::var("CAREDESK_REMIND_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map(Duration::from_secs)
}

/// Runs until aborted (at sign-out).
pub async fn run<R: Runtime>(app: AppHandle<R>, pool: PgPool) {
    let forced = forced_pause();
    let started = Instant::now();
    let mut reminded = started;
    let mut looked_for_overdue = started;
    let mut overdue_after = Utc::now();
    let mut tick = tokio::time::interval(TICK);
    loop {
        tick.tick().await;
        let settings = settings::load(&app).unwrap_or_default();
        if settings.notify_level == NotifyLevel::None {
            continue;
        }
        let pause = settings
            .remind_every
            .interval()
            .map(|every| forced.unwrap_or(every));
        if let Some(every) = pause
            && reminded.elapsed() >= every
        {
            reminded = Instant::now();
            let reported_by = Utc::now() - every;
            match unowned_urgent(&pool, reported_by).await {
                Ok(issues) => Notice::still_unowned(&issues)
                    .into_iter()
                    .for_each(|n| show(&app, n)),
                Err(error) => {
                    tracing::warn!(%error, "could not look for urgent issues nobody has taken")
                }
            }
        }
        if looked_for_overdue.elapsed() >= OVERDUE_EVERY {
            looked_for_overdue = Instant::now();
            let until = Utc::now();
            match reminders::turned_overdue(&pool, overdue_after, until).await {
                Ok(issues) => {
                    overdue_after = until;
                    Notice::overdue(&issues)
                        .into_iter()
                        .for_each(|n| show(&app, n));
                }
                // looked at again next time, from the same moment: nothing is missed
                Err(error) => tracing::warn!(%error, "could not look for overdue issues"),
            }
        }
    }
}

async fn unowned_urgent(
    pool: &PgPool,
    reported_by: DateTime<Utc>,
) -> Result<Vec<Issue>, caredesk_core::Error> {
    let mut db = pool.acquire().await?;
    reminders::unowned_urgent(&mut db, reported_by).await
}
