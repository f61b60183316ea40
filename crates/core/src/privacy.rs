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

    /// (email, phone in E.164): one of them.
    fn binds(&self) -> (Option<&str>, Option<&str>) {
        match self {
            CustomerKey::Email(email) => (Some(email.as_str()), None),
            CustomerKey::Phone(phone) => (None, Some(phone.e164())),
        }
    }
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
