//! One mapping from failures to HTTP responses in the contract's shape:
//! `{"success": false, "message": …, "errors": {field: [text…]}}`. A 5xx body is generic;
//! its detail goes to the log (which never holds personal data).

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caredesk_core::domain::Language;
use caredesk_core::i18n::{Message, text};
use caredesk_core::{Error, FieldErrors};
use serde::Serialize;

/// The body of every refused report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportRejected {
    /// Always false.
    pub success: bool,
    /// What went wrong, in words for the customer.
    pub message: String,
    /// Each field's problems; empty when the problem is not a field's.
    pub errors: std::collections::BTreeMap<String, Vec<String>>,
}

/// Why a report was not accepted.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON, or not an object.
    Malformed(String),
    /// 415
    UnsupportedMediaType,
    /// 413
    TooLarge,
    /// 422: fields are missing or wrong.
    Invalid(FieldErrors),
    /// 429
    TooManyReports { retry_after: Duration },
    /// 403: sent from a page of another website.
    CrossSite,
    /// 503: the database is down; the customer should try again shortly.
    Unavailable,
    /// 500
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyReports { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What went wrong, in words for the customer, in `language`.
    pub fn message(&self, language: Language) -> String {
        match self {
            ApiError::Malformed(detail) => Message::new("error-malformed")
                .with("detail", detail.as_str())
                .in_language(language),
            ApiError::UnsupportedMediaType => text(language, "error-media-type"),
            ApiError::TooLarge => text(language, "error-too-large"),
            ApiError::Invalid(_) => text(language, "error-invalid"),
            ApiError::TooManyReports { retry_after } => Message::new("error-too-many")
                .with("seconds", retry_after.as_secs().max(1))
                .in_language(language),
            ApiError::CrossSite => text(language, "error-cross-site"),
            ApiError::Unavailable => text(language, "error-unavailable"),
            ApiError::Internal => text(language, "error-internal"),
        }
    }

    pub fn field_errors(&self) -> FieldErrors {
        match self {
            ApiError::Invalid(errors) => errors.clone(),
            _ => FieldErrors::new(),
        }
    }

    /// `Retry-After` in whole seconds, for 429 and 503.
    pub fn retry_after(&self) -> Option<HeaderValue> {
        let seconds = match self {
            ApiError::TooManyReports { retry_after } => {
                retry_after.as_secs_f64().ceil().max(1.0) as u64
            }
            ApiError::Unavailable => 5,
            _ => return None,
        };
        HeaderValue::from_str(&seconds.to_string()).ok()
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Invalid(errors) => ApiError::Invalid(errors),
            Error::Unavailable(source) => {
                tracing::warn!(error = %source, "database unavailable");
                ApiError::Unavailable
            }
            other => {
                tracing::error!(error = ?other, "report failed");
                ApiError::Internal
            }
        }
    }
}

impl ApiError {
    /// The JSON answer, in the customer's language.
    pub fn into_response_in(self, language: Language) -> Response {
        let body = ReportRejected {
            success: false,
            message: self.message(language),
            errors: self.field_errors().in_language(language),
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_response_in(Language::default())
    }
}
