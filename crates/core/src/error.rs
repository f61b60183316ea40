//! The errors callers branch on. Messages are written for the person who will read them:
//! a customer for `Invalid`, an agent for the rest.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::desk::timeline::{Event, upper_first};
use crate::domain::text::{DESCRIPTION_MAX_CHARS, RESPONSE_MAX_CHARS};
use crate::domain::{Language, Status};
use crate::i18n::Message;
use crate::sqlstate;

/// Every field's problems at once, keyed by the field's name as the client sent it. They
/// serialize in English; [`FieldErrors::in_language`] gives them in a customer's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, Vec<Message>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<Message>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Adds the errors of fields not reported yet: a field's first problem is the one to fix.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            self.0.entry(field).or_insert(messages);
        }
    }

    /// Each field's messages in `language`.
    pub fn in_language(&self, language: Language) -> BTreeMap<String, Vec<String>> {
        self.0
            .iter()
            .map(|(field, messages)| {
                let texts = messages.iter().map(|m| m.in_language(language)).collect();
                (field.clone(), texts)
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&[Message]> {
        self.0.get(field).map(Vec::as_slice)
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Ok when nothing was added, the errors otherwise.
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self))
        }
    }

    /// Keeps the error of one field's parse, giving back the value when it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Message>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (field, messages) in &self.0 {
            for message in messages {
                if !first {
                    f.write_str("; ")?;
                }
                first = false;
                write!(f, "{field}: {message}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Please correct the highlighted fields ({0}).")]
    Invalid(FieldErrors),
    #[error("Issue #{0} does not exist (it may have been deleted).")]
    NotFound(i64),
    #[error("This photo is gone (its issue was deleted or erased).")]
    PhotoNotFound(i64),
    /// Someone changed the issue since the caller read it (`changes`, oldest first; none
    /// when the version was never the issue's); nothing was changed.
    #[error("{}", conflict_message(*.id, .changes))]
    Conflict { id: i64, changes: Vec<Event> },
    #[error("Issue #{id} is {}; only resolved issues can be deleted.", .status.label().to_lowercase())]
    NotResolved { id: i64, status: Status },
    #[error("You are not allowed to do this: {0}")]
    PermissionDenied(String),
    /// The database could not be reached or went away; worth retrying later.
    #[error("The database is unavailable right now.")]
    Unavailable(#[source] sqlx::Error),
    #[error("Unexpected database error.")]
    Database(#[source] sqlx::Error),
    /// The database answered in a shape this version does not understand.
    #[error("Unexpected answer from the database.")]
    Corrupt,
}

fn conflict_message(id: i64, changes: &[Event]) -> String {
    if changes.is_empty() {
        return format!(
            "Issue #{id} is not at the version you saw; reload it and try again. Nothing was saved."
        );
    }
    let what: Vec<String> = changes.iter().map(Event::summary_at).collect();
    format!(
        "Issue #{id} was changed after you opened it: {}. Nothing was saved; reload to see the latest version.",
        what.join("; ")
    )
}

impl Error {
    /// The single field-level error of a constraint the database enforces as well as the code.
    fn invalid_field(field: &str, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Invalid(errors)
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        use sqlx::Error as E;
        match &error {
            // A conversation broken off mid-way (a restarting server closes connections)
            // is the database being away too, not a bug to report as such.
            E::Io(_)
            | E::Tls(_)
            | E::Protocol(_)
            | E::PoolTimedOut
            | E::PoolClosed
            | E::WorkerCrashed => Error::Unavailable(error),
            E::Database(db) => {
                let code = db.code().unwrap_or_default();
                if sqlstate::means_unavailable(&code) {
                    return Error::Unavailable(error);
                }
                if code == sqlstate::INSUFFICIENT_PRIVILEGE {
                    return Error::PermissionDenied(db.message().to_owned());
                }
                if code == sqlstate::CHECK_VIOLATION {
                    return match db.constraint() {
                        Some("customer_care_name_present") => {
                            Error::invalid_field("name", "Please enter your name.")
                        }
                        Some("customer_care_email_shape") => {
                            Error::invalid_field("email", "Please enter a valid email address.")
                        }
                        Some("customer_care_phone_present" | "customer_care_phone_e164_shape") => {
                            Error::invalid_field("phone", "Please enter a valid phone number.")
                        }
                        Some("customer_care_order_id_present") => {
                            Error::invalid_field("order_id", "The order number cannot be blank.")
                        }
                        Some("customer_care_issue_type_known") => Error::invalid_field(
                            "issue_type",
                            "Please choose what the problem is about.",
                        ),
                        Some("customer_care_priority_known") => Error::invalid_field(
                            "priority",
                            "Please choose normal, high or urgent.",
                        ),
                        Some("customer_care_status_known") => Error::invalid_field(
                            "status",
                            "Please choose open, in-progress or resolved.",
                        ),
                        Some("customer_care_description_length") => Error::invalid_field(
                            "description",
                            &format!(
                                "Please describe the problem (at most {DESCRIPTION_MAX_CHARS} characters)."
                            ),
                        ),
                        Some("customer_care_owner_is_agent") => Error::invalid_field(
                            "owner",
                            "Issues can only be given to a CareDesk agent.",
                        ),
                        Some("customer_care_note_length") => Error::invalid_field(
                            "note",
                            &format!("A note has 1 to {RESPONSE_MAX_CHARS} characters."),
                        ),
                        Some("customer_care_admin_response_length") => Error::invalid_field(
                            "response",
                            &format!(
                                "The response is too long (at most {RESPONSE_MAX_CHARS} characters)."
                            ),
                        ),
                        Some("customer_care_merged_is_settled") => {
                            Error::invalid_field("merged", &upper_first(db.message()))
                        }
                        Some("customer_care_merged_stays_resolved") => Error::invalid_field(
                            "merged",
                            "A merged issue stays resolved; work on the issue it was merged into.",
                        ),
                        _ => Error::Database(error),
                    };
                }
                if code == sqlstate::STRING_DATA_RIGHT_TRUNCATION {
                    // value too long for a varchar column; core checks lengths first, so this
                    // only happens when a caller bypasses the parsers
                    return Error::invalid_field("input", "A value is longer than allowed.");
                }
                Error::Database(error)
            }
            _ => Error::Database(error),
        }
    }
}
