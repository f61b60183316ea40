//! Taking a report in, whichever way it came (JSON API or plain form post): refuse other
//! websites, validate, check the honeypot and the client's allowance, store.

use caredesk_core::FieldErrors;
use caredesk_core::db::issues::{self, Reported};
use caredesk_core::domain::Language;
use caredesk_core::i18n::Message;
use caredesk_core::photos::PreparedPhoto;
use caredesk_core::report::{HONEYPOT_FIELD, NewIssue, ReportForm};

use axum::http::HeaderMap;

use crate::client::ClientAddr;
use crate::error::ApiError;
use crate::origin;
use crate::photos::Upload;
use crate::state::AppState;

/// A report as the request carried it.
pub struct Submission<'a> {
    pub form: &'a ReportForm,
    /// The trap field's value (bots fill it in).
    pub honeypot: Option<&'a str>,
    pub uploads: Vec<Upload>,
    /// What the caller found wrong while reading the request.
    pub errors: FieldErrors,
}

/// Stores a valid report with its photos and returns its id and status link; stores
/// nothing on any error. `errors` holds problems the caller found while reading the request
/// (a field of the wrong JSON type), reported together with the validation's and each
/// photo's refusal; `language` is the request's.
pub async fn accept(
    state: &AppState,
    client: ClientAddr,
    headers: &HeaderMap,
    submission: Submission<'_>,
    language: Language,
) -> Result<Reported, ApiError> {
    let Submission {
        form,
        honeypot,
        uploads,
        mut errors,
    } = submission;
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
    // decoded even when a field is wrong, so that every problem is told at once
    let photos = prepare_photos(state, uploads, &mut errors).await;
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
    let reported = issues::report_with_photos(&state.pool, &issue, &photos).await?;
    tracing::info!(
        issue_id = reported.id,
        photos = photos.len(),
        priority = issue.priority.as_str(),
        language = issue.language.as_str(),
        "report accepted"
    );
    Ok(reported)
}

/// The uploads decoded and re-encoded; their refusals, if any, join `errors`.
pub async fn prepare_photos(
    state: &AppState,
    uploads: Vec<Upload>,
    errors: &mut FieldErrors,
) -> Vec<PreparedPhoto> {
    if uploads.is_empty() {
        return Vec::new();
    }
    match state.photos.prepare(uploads).await {
        Ok(photos) => photos,
        Err(refusals) => {
            errors.merge(refusals);
            Vec::new()
        }
    }
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
