//! Delivers the outbox to customers over SMTP (lettre), as the mailer's own database login.
//! Each email is taken locked, sent, and its outcome recorded in one transaction, so
//! several server instances send each email once; a refused address is given up at once,
//! anything else is tried again with a growing wait (core's `outbox::retry_delay`).

mod compose;
pub mod settings;

use std::sync::Arc;
use std::time::{Duration, Instant};

use caredesk_core::outbox::{self, OutboxEmail};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::PgPool;
use tokio::sync::watch;

pub use compose::compose;
pub use settings::MailSettings;

use crate::page::PageRenderer;

/// How long one SMTP conversation may take; shorter than the database's idle-in-transaction
/// limit, since the outbox row stays locked meanwhile.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the mailer tells the database it is delivering (it counts for two minutes).
const ALIVE_EVERY: Duration = Duration::from_secs(30);
/// The longest wait between rounds while the database cannot be reached.
const MAX_WAIT_WHILE_FAILING: Duration = Duration::from_secs(30);

pub struct Mailer {
    pool: PgPool,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    page: Arc<PageRenderer>,
    public_url: String,
    from: Mailbox,
    poll: Duration,
    retry_base: Duration,
}

/// Why an email was not sent.
enum Failure {
    /// It will never be accepted (a refused address): give up now.
    Permanent(String),
    /// It may work later.
    Transient(String),
}

impl Mailer {
    /// `from` is the sender when the settings name none (the shop's name and email).
    pub fn new(
        settings: &MailSettings,
        page: Arc<PageRenderer>,
        public_url: String,
        from: Mailbox,
    ) -> Result<Self, String> {
        let transport = settings.transport(SMTP_TIMEOUT)?;
        let pool =
            caredesk_core::db::lazy_pool(settings.database.clone(), 2, Duration::from_secs(5));
        Ok(Self {
            pool,
            transport,
            page,
            public_url,
            from: settings.from.clone().unwrap_or(from),
            poll: settings.poll,
            retry_base: settings.retry_base,
        })
    }

    /// Delivers until `stop` turns true, finishing the email in hand. While the database is
    /// away it says so once and looks again less and less often (up to every 30 s).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(from = %self.from, "mailer: delivering the outbox");
        let mut last_alive: Option<Instant> = None;
        let mut failures: u32 = 0;
        while !*stop.borrow() {
            match self.round(&mut last_alive, &stop).await {
                Ok(()) => {
                    if failures > 0 {
                        tracing::info!("mailer: the database is back");
                    }
                    failures = 0;
                }
                Err(error) => {
                    if failures == 0 {
                        tracing::warn!(%error, "mailer: cannot work the outbox; trying again");
                    }
                    failures = failures.saturating_add(1);
                }
            }
            let wait = (self.poll * 2u32.saturating_pow(failures.min(10)))
                .min(MAX_WAIT_WHILE_FAILING.max(self.poll));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        self.pool.close().await;
    }

    /// One round: say the mailer is alive (now and then), then send every due email.
    async fn round(
        &self,
        last_alive: &mut Option<Instant>,
        stop: &watch::Receiver<bool>,
    ) -> Result<(), caredesk_core::Error> {
        if last_alive.is_none_or(|at| at.elapsed() >= ALIVE_EVERY) {
            outbox::mailer_alive(&self.pool).await?;
            *last_alive = Some(Instant::now());
        }
        while !*stop.borrow() && self.deliver_one().await? {}
        Ok(())
    }

    /// Sends the oldest due email, if any; false when none was due.
    async fn deliver_one(&self) -> Result<bool, caredesk_core::Error> {
        let mut tx = self.pool.begin().await?;
        let Some(email) = outbox::take_due(&mut tx).await? else {
            return Ok(false);
        };
        match self.send(&email).await {
            Ok(()) => {
                outbox::sent(&mut tx, email.id).await?;
                tracing::info!(
                    outbox_id = email.id,
                    issue_id = email.issue_id,
                    kind = email.kind.as_str(),
                    "mailer: emailed"
                );
            }
            Err(Failure::Permanent(reason)) => {
                outbox::failed(&mut tx, email.id, &reason).await?;
                tracing::warn!(outbox_id = email.id, issue_id = email.issue_id, %reason, "mailer: refused for good");
            }
            Err(Failure::Transient(reason)) => {
                match outbox::retry_delay(email.attempts + 1, self.retry_base) {
                    Some(delay) => {
                        outbox::retry_later(&mut tx, email.id, delay, &reason).await?;
                        tracing::warn!(outbox_id = email.id, %reason, retry_in_s = delay.as_secs(), "mailer: will try again");
                    }
                    None => {
                        let reason =
                            format!("{reason} (gave up after {} tries)", email.attempts + 1);
                        outbox::failed(&mut tx, email.id, &reason).await?;
                        tracing::warn!(outbox_id = email.id, %reason, "mailer: gave up");
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn send(&self, email: &OutboxEmail) -> Result<(), Failure> {
        let message =
            compose(&self.page, &self.public_url, &self.from, email).map_err(Failure::Permanent)?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|error| {
                let reason = short(&error.to_string());
                if error.is_permanent() {
                    Failure::Permanent(reason)
                } else {
                    Failure::Transient(reason)
                }
            })
    }
}

/// An error as the timeline shows it: one line, not too long.
fn short(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(300).collect()
}
