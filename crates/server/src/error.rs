//! One mapping from failures to HTTP responses in the contract's shape:
//! `{"success": false, "message": …, "errors": {field: [text…]}}`. A 5xx body is generic;
//! its detail goes to the log (which never holds personal data).

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
    #[schema(value_type = std::collections::BTreeMap<String, Vec<String>>)]
    pub errors: FieldErrors,
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

    pub fn message(&self) -> String {
        match self {
            ApiError::Malformed(detail) => format!("The request could not be read: {detail}"),
            ApiError::UnsupportedMediaType => "Send the report as JSON (Content-Type: application/json).".into(),
            ApiError::TooLarge => "The report is too large. Please shorten the description.".into(),
            ApiError::Invalid(_) => "Please correct the highlighted fields.".into(),
            ApiError::TooManyReports { retry_after } => format!(
                "You have sent several reports in a short time. Please try again in {} seconds.",
                retry_after.as_secs().max(1)
            ),
            ApiError::CrossSite => {
                "Reports are taken only from this page or the shop's own website; nothing was stored.".into()
            }
            ApiError::Unavailable => {
                "We cannot take reports right now. Please try again in a minute, or call or message us.".into()
            }
            ApiError::Internal => "Something went wrong on our side. Please try again, or call or message us.".into(),
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ReportRejected {
            success: false,
            message: self.message(),
            errors: self.field_errors(),
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}
