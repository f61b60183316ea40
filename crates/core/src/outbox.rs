//! The outbox of emails to customers, as the mailer sees it. Rows are written by the
//! database itself, in the transaction of what they announce (a report, a response, a
//! resolution); the mailer login may read and update only this table. Each email is taken
//! under `FOR UPDATE SKIP LOCKED` inside the transaction that records its outcome, so two
//! mailers never send the same one; one that crashes mid-send leaves the row to be sent
//! again (at least once, never lost).

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};

use crate::desk::timeline::EmailKind;
use crate::domain::{IssueType, Language};
use crate::error::Error;
use crate::status::StatusToken;

/// How often an email is tried before it is given up on (about a day, with the backoff).
pub const MAX_ATTEMPTS: i32 = 12;
/// The longest wait between two tries.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// One email due to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub issue_id: i64,
    pub kind: EmailKind,
    pub recipient: String,
    pub customer_name: String,
    pub language: Language,
    pub issue_type: IssueType,
    /// The status link the email carries (kept only until it is sent).
    pub link_token: Option<StatusToken>,
    pub response: Option<String>,
    /// Tries before this one.
    pub attempts: i32,
}

/// Takes the oldest due email that no other mailer holds, locked until `tx` ends.
pub async fn take_due(tx: &mut PgConnection) -> Result<Option<OutboxEmail>, Error> {
    let row = sqlx::query!(
        r#"SELECT id, issue_id, kind, recipient, customer_name,
                  language AS "language: Language", issue_type AS "issue_type: IssueType",
                  link_token, response, attempts
             FROM customer_care_outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
            ORDER BY next_attempt_at, id
            LIMIT 1
              FOR UPDATE SKIP LOCKED"#
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind = EmailKind::parse(&row.kind).ok_or(Error::Corrupt)?;
    Ok(Some(OutboxEmail {
        id: row.id,
        issue_id: row.issue_id,
        kind,
        recipient: row.recipient,
        customer_name: row.customer_name,
        language: row.language,
        issue_type: row.issue_type,
        link_token: row.link_token.as_deref().and_then(StatusToken::parse),
        response: row.response,
        attempts: row.attempts,
    }))
}

/// The email reached the customer's mail server: done, and its link no longer kept.
pub async fn sent(tx: &mut PgConnection, id: i64) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE customer_care_outbox
            SET sent_at = clock_timestamp(), attempts = attempts + 1, link_token = NULL, last_error = NULL
          WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The email could not be sent this time: try again after `delay`.
pub async fn retry_later(
    tx: &mut PgConnection,
    id: i64,
    delay: Duration,
    error: &str,
) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE customer_care_outbox
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = clock_timestamp() + make_interval(secs => $3)
          WHERE id = $1",
        id,
        error,
        delay.as_secs_f64()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The email cannot be delivered (the address is refused, or every try failed): given up,
/// which the timeline shows.
pub async fn failed(tx: &mut PgConnection, id: i64, error: &str) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE customer_care_outbox
            SET failed_at = clock_timestamp(), attempts = attempts + 1, link_token = NULL, last_error = $2
          WHERE id = $1",
        id,
        error
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The mailer says it is delivering: for the next two minutes, responses are emailed.
pub async fn mailer_alive(db: impl PgExecutor<'_>) -> Result<(), Error> {
    sqlx::query_scalar!(r#"SELECT caredesk_mailer_alive() AS "done: ()""#)
        .fetch_one(db)
        .await?;
    Ok(())
}

/// How long to wait before the next try of an email tried `attempts` times (this one
/// included), doubling from `base` up to an hour; `None` once it has had its tries.
pub fn retry_delay(attempts: i32, base: Duration) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    Some(base.saturating_mul(1 << doublings).min(MAX_RETRY_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour_then_stop() {
        let minute = Duration::from_secs(60);
        assert_eq!(retry_delay(1, minute), Some(minute));
        assert_eq!(retry_delay(2, minute), Some(2 * minute));
        assert_eq!(retry_delay(4, minute), Some(8 * minute));
        assert_eq!(retry_delay(10, minute), Some(MAX_RETRY_DELAY));
        assert_eq!(retry_delay(MAX_ATTEMPTS, minute), None);
    }
}
