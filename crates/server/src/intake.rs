//! Taking a report in, whichever way it came (JSON API or plain form post): refuse other
//! websites, validate, check the honeypot and the client's allowance, store.

use caredesk_core::FieldErrors;
use caredesk_core::db::issues::{self, Reported};
use caredesk_core::domain::Language;
use caredesk_core::i18n::Message;
use caredesk_core::report::{HONEYPOT_FIELD, NewIssue, ReportForm};

use axum::http::HeaderMap;

use crate::client::ClientAddr;
use crate::error::ApiError;
use crate::origin;
use crate::state::AppState;

/// Stores a valid report and returns its id and status link; stores nothing on any error. `errors` holds
/// problems the caller found while reading the request (a field of the wrong JSON type),
/// reported together with the validation's; `language` is the request's.
pub async fn accept(
    state: &AppState,
    client: ClientAddr,
    headers: &HeaderMap,
    form: &ReportForm,
    honeypot: Option<&str>,
    mut errors: FieldErrors,
    language: Language,
) -> Result<Reported, ApiError> {
    if !origin::may_post(headers, &state.allowed_origins) {
        return Err(ApiError::CrossSite);
    }
    // a report that names no language is in the one it was answered in
    let mut form = form.clone();
    if form.language.as_deref().is_none_or(|l| l.trim().is_empty()) {
        form.language = Some(language.as_str().to_owned());
    }
    let issue = match NewIssue::parse(&form, state.phone_region) {
        // a language the shop does not offer gets the shop's default
        Ok(issue) => Some(NewIssue {
            language: state.page.offered(issue.language),
            ..issue
        }),
        Err(caredesk_core::Error::Invalid(invalid)) => {
            errors.merge(invalid);
            None
        }
        Err(other) => return Err(other.into()),
    };
    if honeypot.is_some_and(|v| !v.trim().is_empty()) {
        errors.add(HONEYPOT_FIELD, Message::new("honeypot-filled"));
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
    let reported = issues::report(&state.pool, &issue).await?;
    tracing::info!(
        issue_id = reported.id,
        priority = issue.priority.as_str(),
        language = issue.language.as_str(),
        "report accepted"
    );
    Ok(reported)
}

/// "Thank you! Your issue #12 has been received. We answer within 24 hours."
pub fn thank_you(id: i64, response_hours: u32, language: Language) -> String {
    Message::new("thank-you")
        .with("id", id)
        .with("hours", response_hours)
        .in_language(language)
}

/// The path of an issue's status page.
pub fn status_path(reported: &Reported) -> String {
    format!("/customer-care/status/{}", reported.status_token.as_str())
}
