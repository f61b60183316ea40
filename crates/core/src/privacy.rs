//! Privacy requests: everything CareDesk holds about one customer, exported as one JSON
//! document, and erased. The database does both (migration `privacy`), for admins only,
//! auditing each request without the customer's address.

use serde_json::Value;
use sqlx::PgExecutor;

use crate::domain::{Email, Phone, PhoneRegion};
use crate::error::{Error, FieldErrors};

/// Whose data: an email address (any case) or a phone number (matched by its E.164 form,
/// however the customer typed it).
#[derive(Debug)]
pub enum CustomerKey {
    Email(Email),
    Phone(Phone),
}

impl CustomerKey {
    /// An address if it has an `@`, otherwise a phone number in `region`'s way of writing
    /// one (or in international form, `+49 …`).
    pub fn parse(raw: &str, region: PhoneRegion) -> Result<Self, Error> {
        let parsed = if raw.contains('@') {
            Email::parse(raw).map(Self::Email)
        } else {
            Phone::parse(raw, region).map(Self::Phone)
        };
        parsed.map_err(|message| {
            let mut errors = FieldErrors::new();
            errors.add("customer", message);
            Error::Invalid(errors)
        })
    }

    /// The customer of a stored issue, by the address or the phone it holds.
    pub fn of_issue(issue: &crate::db::Issue, by: MatchBy) -> Result<Self, Error> {
        let stored = match by {
            MatchBy::Email => issue.email.as_str(),
            // stored in E.164, which reads the same in every region
            MatchBy::Phone => issue.phone_e164.as_str(),
        };
        // any region reads an E.164 number the same
        let region = PhoneRegion::parse("DE").map_err(|_| Error::Corrupt)?;
        Self::parse(stored, region)
    }

    /// The address or phone number, as a person reads it.
    pub fn shown(&self) -> &str {
        match self {
            CustomerKey::Email(email) => email.as_str(),
            CustomerKey::Phone(phone) => phone.e164(),
        }
    }

    /// (email, phone in E.164): one of them.
    fn binds(&self) -> (Option<&str>, Option<&str>) {
        match self {
            CustomerKey::Email(email) => (Some(email.as_str()), None),
            CustomerKey::Phone(phone) => (None, Some(phone.e164())),
        }
    }
}

/// What a privacy request about an issue's customer matches by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum MatchBy {
    Email,
    Phone,
}

/// The issues a request covers, oldest first (what an export holds and an erasure removes).
pub async fn issues(db: impl PgExecutor<'_>, who: &CustomerKey) -> Result<Vec<i64>, Error> {
    let (email, phone) = who.binds();
    Ok(sqlx::query_scalar!(
        r#"SELECT caredesk_customer_issues($1, $2) AS "id!""#,
        email,
        phone
    )
    .fetch_all(db)
    .await?)
}

/// Everything about the customer: each issue as stored with its whole timeline, the emails
/// sent to them and their satisfaction answers (`{"exported_at", "matched_by", "issues"}`).
pub async fn export(db: impl PgExecutor<'_>, who: &CustomerKey) -> Result<Value, Error> {
    let (email, phone) = who.binds();
    Ok(sqlx::query_scalar!(
        r#"SELECT caredesk_customer_export($1, $2) AS "export!""#,
        email,
        phone
    )
    .fetch_one(db)
    .await?)
}

/// Erases the customer's issues, whatever their status, in one transaction; returns how
/// many. Their timelines keep only an anonymous trace ("erased").
pub async fn erase(db: impl PgExecutor<'_>, who: &CustomerKey) -> Result<i32, Error> {
    let (email, phone) = who.binds();
    Ok(sqlx::query_scalar!(
        r#"SELECT caredesk_customer_erase($1, $2) AS "erased!""#,
        email,
        phone
    )
    .fetch_one(db)
    .await?)
}
