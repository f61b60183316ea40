//! `POST /api/customer-care/report`: the JSON report API of the contract.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use caredesk_core::FieldErrors;
use caredesk_core::domain::{IssueType, Language, Priority};
use caredesk_core::photos::PhotoLimits;
use caredesk_core::report::{JsonReport, ReportForm};
use serde::Serialize;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::client::ClientAddr;
use crate::error::{ApiError, ReportRejected};
use crate::intake::Submission;
use crate::origin::AllowedOrigins;
use crate::routes::BODY_LIMIT_BYTES;
use crate::state::AppState;
use crate::{intake, lang, posted};

/// The report API; browsers on the shop's own sites may call it (CORS), others may not.
pub fn router(allowed: &AllowedOrigins, photos: &PhotoLimits) -> Router<AppState> {
    // a JSON report is held to BODY_LIMIT_BYTES by the handler; photos need room
    let router = Router::new().route(
        "/api/customer-care/report",
        post(report).layer(DefaultBodyLimit::max(photos.request_bytes())),
    );
    if allowed.is_empty() {
        return router;
    }
    router.layer(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed.header_values()))
            .allow_methods([Method::POST])
            .allow_headers([header::CONTENT_TYPE])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}

/// A customer's report. Unknown fields are ignored. The length limits are core's, set on
/// the document by `openapi::ReportLimits`.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)] // describes the request for the OpenAPI document; parsing is field by field
pub struct ReportRequest {
    /// The customer's name.
    name: String,
    #[schema(format = "email")]
    email: String,
    /// As the customer types it; without a country code the shop's region applies.
    phone: String,
    issue_type: IssueType,
    /// What went wrong, in the customer's words.
    description: String,
    order_id: Option<String>,
    /// Normal when left out.
    priority: Option<Priority>,
    /// The customer's language (`en`, `de`); the request's `Accept-Language` when left out.
    language: Option<Language>,
    /// Must be absent or empty (a trap for bots).
    #[schema(max_length = 0)]
    website: Option<String>,
}

/// The multipart variant (`multipart/form-data`): each field of the JSON report as a text
/// part, and the photos as file parts named `photos`. Each photo is checked by decoding it
/// and stored re-encoded, without its metadata; any refusal names its file (422,
/// `errors.photos`), and then nothing is stored.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)] // describes the request for the OpenAPI document
pub struct PhotoReportRequest {
    #[serde(flatten)]
    report: ReportRequest,
    /// JPEG, PNG, WebP or HEIC/HEIF; one part per photo. The service's limits are set on
    /// this document (CAREDESK_PHOTO_MAX_COUNT, CAREDESK_PHOTO_MAX_MB).
    #[schema(value_type = Vec<String>, format = Binary)]
    photos: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportAccepted {
    /// Always true.
    pub success: bool,
    pub issue_id: i64,
    pub message: String,
    /// The report's status page, where the customer follows it and writes again: absolute
    /// when CAREDESK_PUBLIC_URL is set, else a path on this service. The link is the key
    /// to the issue: it is shown once and stored only as a hash.
    pub status_url: String,
}

/// Report a problem with an order.
#[utoipa::path(post, path = "/api/customer-care/report", tag = "reports",
    request_body(content(
        (ReportRequest = "application/json"),
        (PhotoReportRequest = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Stored", body = ReportAccepted),
        (status = 400, description = "The body is not a JSON object", body = ReportRejected),
        (status = 413, description = "The body is too large (words beyond a report's limits, or more photo bytes than the limits allow)", body = ReportRejected),
        (status = 403, description = "Sent from a page of another website (not the shop's, see CAREDESK_ALLOWED_ORIGINS)", body = ReportRejected),
        (status = 408, description = "The request took too long"),
        (status = 415, description = "The body is neither JSON nor multipart/form-data", body = ReportRejected),
        (status = 422, description = "Fields are missing or invalid; nothing was stored", body = ReportRejected),
        (status = 429, description = "Too many reports from this address; see Retry-After", body = ReportRejected,
            headers(("Retry-After" = u64, description = "Seconds until a report is accepted again"))),
        (status = 503, description = "The database is unavailable; nothing was stored", body = ReportRejected),
    ))]
pub async fn report(
    State(state): State<AppState>,
    client: ClientAddr,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    // answered in the report's language, else the browser's
    let mut language = lang::of_request(&state.page, &headers, None);
    let answer = async {
        let reported = if posted::is_multipart(&headers) {
            let max_file_bytes = state.photos.limits().max_bytes;
            let posted = posted::read::<MultipartReport>(request, max_file_bytes).await?;
            let report = posted.form;
            language = lang::of_request(&state.page, &headers, report.form.language.as_deref());
            let submission = Submission {
                form: &report.form,
                honeypot: report.website.as_deref(),
                uploads: posted.uploads,
                errors: FieldErrors::new(),
            };
            intake::accept(&state, client, &headers, submission, language).await?
        } else if is_json(&headers) {
            let body = axum::body::to_bytes(request.into_body(), BODY_LIMIT_BYTES)
                .await
                .map_err(|_| ApiError::TooLarge)?;
            let report = JsonReport::parse(&body).map_err(ApiError::Malformed)?;
            language = lang::of_request(&state.page, &headers, report.form.language.as_deref());
            let submission = Submission {
                form: &report.form,
                honeypot: report.honeypot.as_deref(),
                uploads: Vec::new(),
                errors: report.type_errors,
            };
            intake::accept(&state, client, &headers, submission, language).await?
        } else {
            return Err(ApiError::UnsupportedMediaType);
        };
        let path = intake::status_path(&reported);
        Ok(ReportAccepted {
            success: true,
            issue_id: reported.id,
            message: intake::thank_you(
                reported.id,
                state.page.shop(language).response_hours,
                language,
            ),
            status_url: match &state.public_url {
                Some(base) => format!("{base}{path}"),
                None => path,
            },
        })
    }
    .await;
    match answer {
        Ok(accepted) => (StatusCode::CREATED, Json(accepted)).into_response(),
        Err(error) => error.into_response_in(language),
    }
}

/// The multipart variant's text parts (each field of the JSON report, as text) and the trap.
#[derive(Debug, Default, serde::Deserialize)]
struct MultipartReport {
    #[serde(flatten)]
    form: ReportForm,
    website: Option<String>,
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types_are_recognised() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
