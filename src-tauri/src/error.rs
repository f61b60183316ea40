//! The error every command returns: `{kind, message, fields}`, with a message an agent
//! can act on and never a password or connection string in it.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Invalid,
    NotFound,
    Conflict,
    NotResolved,
    PermissionDenied,
    Unavailable,
    WrongPassword,
    Unreachable,
    NotAnAgent,
    /// The server offers no TLS where the agent asked for it.
    NoEncryption,
    /// The server's certificate is for another name.
    WrongServerName,
    /// The server's certificate is not from a trusted CA (or not acceptable otherwise).
    UntrustedCertificate,
    NotSignedIn,
    Internal,
}

impl ErrorKind {
    /// Every kind, for the UI's generated client.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Invalid,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::NotResolved,
        ErrorKind::PermissionDenied,
        ErrorKind::Unavailable,
        ErrorKind::WrongPassword,
        ErrorKind::Unreachable,
        ErrorKind::NotAnAgent,
        ErrorKind::NoEncryption,
        ErrorKind::WrongServerName,
        ErrorKind::UntrustedCertificate,
        ErrorKind::NotSignedIn,
        ErrorKind::Internal,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[ts(export)]
#[error("{message}")]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    pub fields: Option<BTreeMap<String, Vec<String>>>,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            fields: None,
        }
    }

    pub fn not_signed_in() -> Self {
        Self::new(
            ErrorKind::NotSignedIn,
            "You are signed out. Please sign in again.",
        )
    }

    pub fn invalid_field(field: &str, message: &str) -> Self {
        let mut errors = caredesk_core::FieldErrors::new();
        errors.add(field, message);
        caredesk_core::Error::Invalid(errors).into()
    }
}

impl From<caredesk_core::Error> for CommandError {
    fn from(error: caredesk_core::Error) -> Self {
        use caredesk_core::Error as E;
        let kind = match &error {
            E::Invalid(_) => ErrorKind::Invalid,
            E::NotFound(_) | E::PhotoNotFound(_) => ErrorKind::NotFound,
            E::Conflict { .. } => ErrorKind::Conflict,
            E::NotResolved { .. } => ErrorKind::NotResolved,
            E::PermissionDenied(_) => ErrorKind::PermissionDenied,
            E::Unavailable(_) => ErrorKind::Unavailable,
            E::Corrupt => ErrorKind::Internal,
            E::Database(source) => {
                tracing::error!(error = %source, "database error");
                ErrorKind::Internal
            }
        };
        let message = match &error {
            E::Invalid(errors) => format!("Please correct: {errors}"),
            E::Unavailable(_) => {
                "The database is unreachable right now; CareDesk keeps retrying.".to_owned()
            }
            other => other.to_string(),
        };
        let fields = match error {
            E::Invalid(errors) => Some(errors.in_language(caredesk_core::domain::Language::En)),
            _ => None,
        };
        Self {
            kind,
            message,
            fields,
        }
    }
}
