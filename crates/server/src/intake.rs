//! Taking a report in, whichever way it came (JSON API or plain form post): refuse other
//! websites, validate, check the honeypot and the client's allowance, store.

use caredesk_core::FieldErrors;
use caredesk_core::db::issues;
use caredesk_core::report::{HONEYPOT_FIELD, NewIssue, ReportForm};

use axum::http::HeaderMap;

use crate::client::ClientAddr;
use crate::error::ApiError;
use crate::origin;
use crate::state::AppState;

/// Stores a valid report and returns its id; stores nothing on any error. `errors` holds
/// problems the caller found while reading the request (a field of the wrong JSON type),
/// reported together with the validation's.
pub async fn accept(
    state: &AppState,
    client: ClientAddr,
    headers: &HeaderMap,
    form: &ReportForm,
    honeypot: Option<&str>,
    mut errors: FieldErrors,
) -> Result<i64, ApiError> {
    if !origin::may_post(headers, &state.allowed_origins) {
        return Err(ApiError::CrossSite);
    }
    let issue = match NewIssue::parse(form, state.phone_region) {
        Ok(issue) => Some(issue),
        Err(caredesk_core::Error::Invalid(invalid)) => {
            errors.merge(invalid);
            None
        }
        Err(other) => return Err(other.into()),
    };
    if honeypot.is_some_and(|v| !v.trim().is_empty()) {
        errors.add(HONEYPOT_FIELD, "Leave this field empty.");
    }
    let Some(issue) = issue.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    // Only reports that would be stored use up the allowance: a customer fixing typos is
    // not held back.
    state
        .limiter
        .take(client.0)
        .map_err(|retry_after| ApiError::TooManyReports { retry_after })?;
    let id = issues::add(&state.pool, &issue).await?;
    tracing::info!(
        issue_id = id,
        priority = issue.priority.as_str(),
        "report accepted"
    );
    Ok(id)
}

pub fn thank_you(id: i64, response_hours: u32) -> String {
    format!(
        "Thank you! Your issue #{id} has been received. We will answer within {response_hours} hours."
    )
}
