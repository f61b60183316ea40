//! The customer's status link: a token of 256 random bits (64 hex digits) of which the
//! database keeps only the SHA-256; what the customer may see through it, and what they
//! may do there (write again, say whether the answer solved the problem). Everything goes
//! through definer functions, so the public service still reads nothing else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;

use crate::domain::{Description, IssueType, Language, Status};
use crate::error::Error;
use crate::photos::{PhotoColumns, PreparedPhoto};

/// A status link's secret part, as it appears in `/customer-care/status/<token>`.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusToken(String);

impl StatusToken {
    /// `None` for anything that is not 64 hex digits (it cannot be a token).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps and looks up.
    fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

impl std::fmt::Debug for StatusToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StatusToken(hidden)")
    }
}

/// One step of an issue as the customer sees it: no agents' names, no internal notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Step {
    Created {
        /// The photos that came with the report.
        #[serde(default)]
        photos: u32,
    },
    StatusChanged {
        to: Status,
    },
    Responded {
        response: Option<String>,
    },
    CustomerMessage {
        text: String,
        #[serde(default)]
        photos: u32,
    },
    Satisfaction {
        solved: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedStep {
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub step: Step,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub solved: bool,
    pub comment: Option<String>,
    pub answered_at: DateTime<Utc>,
}

/// What the status page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i64,
    pub issue_type: IssueType,
    pub status: Status,
    pub language: Language,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub satisfaction: Option<Satisfaction>,
    pub events: Vec<TimedStep>,
}

impl CustomerView {
    /// Every response the shop sent, oldest first.
    pub fn responses(&self) -> impl Iterator<Item = (&DateTime<Utc>, &str)> {
        self.events.iter().filter_map(|e| match &e.step {
            Step::Responded {
                response: Some(text),
            } => Some((&e.at, text.as_str())),
            _ => None,
        })
    }
}

/// The issue behind a link, as the customer may see it; `None` for a link that is unknown
/// or expired (`link_days` after the issue was resolved).
pub async fn view(
    db: impl PgExecutor<'_>,
    token: &StatusToken,
    link_days: i32,
) -> Result<Option<CustomerView>, Error> {
    let view = sqlx::query_scalar!(
        r#"SELECT caredesk_status($1, $2) AS "view""#,
        token.hash(),
        link_days
    )
    .fetch_one(db)
    .await?;
    match view {
        None => Ok(None),
        Some(json) => serde_json::from_value(json).map(Some).map_err(|error| {
            tracing::error!(%error, "the status function answered in an unknown shape");
            Error::Corrupt
        }),
    }
}

/// The customer writes again, in words, photos or both (`None`: photos alone); the
/// issue's id, or `None` for an invalid link.
pub async fn write(
    db: impl PgExecutor<'_>,
    token: &StatusToken,
    link_days: i32,
    message: Option<&Description>,
    photos: &[PreparedPhoto],
) -> Result<Option<i64>, Error> {
    let columns = PhotoColumns::of(photos);
    Ok(sqlx::query_scalar!(
        r#"SELECT caredesk_customer_message($1, $2, $3, $4, $5, $6, $7, $8) AS "issue""#,
        token.hash(),
        link_days,
        message.map_or("", Description::as_str),
        &columns.images,
        &columns.thumbnails,
        &columns.content_types,
        &columns.widths,
        &columns.heights,
    )
    .fetch_one(db)
    .await?)
}

/// The customer's answer to "Did this solve your problem?"; false when it was not asked
/// (not resolved, answered already, or an invalid link).
pub async fn answer(
    db: impl PgExecutor<'_>,
    token: &StatusToken,
    link_days: i32,
    solved: bool,
    comment: Option<&Description>,
) -> Result<bool, Error> {
    Ok(sqlx::query_scalar!(
        r#"SELECT caredesk_satisfaction($1, $2, $3, $4) AS "taken!""#,
        token.hash(),
        link_days,
        solved,
        comment.map(Description::as_str)
    )
    .fetch_one(db)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_digits_are_a_token() {
        let token = "a".repeat(64);
        assert!(StatusToken::parse(&token).is_some());
        assert!(StatusToken::parse(&"A".repeat(64)).is_some(), "either case");
        assert!(StatusToken::parse(&"a".repeat(63)).is_none());
        assert!(StatusToken::parse(&"g".repeat(64)).is_none());
        assert!(StatusToken::parse("../../etc/passwd").is_none());
        assert_eq!(
            format!("{:?}", StatusToken::parse(&token).unwrap()),
            "StatusToken(hidden)"
        );
    }
}
