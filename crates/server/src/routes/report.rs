//! `POST /api/customer-care/report`: the JSON report API of the contract.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use axum::{Json, Router};
use caredesk_core::FieldErrors;
use caredesk_core::domain::{IssueType, Priority};
use caredesk_core::report::ReportForm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::ClientAddr;
use crate::error::{ApiError, ReportRejected};
use crate::intake::{self, HONEYPOT_FIELD};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/customer-care/report", post(report))
}

/// A customer's report. Unknown fields are ignored.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // describes the request for the OpenAPI document; parsing is field by field
pub struct ReportRequest {
    /// The customer's name.
    #[schema(min_length = 1, max_length = 255)]
    name: String,
    #[schema(min_length = 3, max_length = 255, format = "email")]
    email: String,
    /// As the customer types it; without a country code the shop's region applies.
    #[schema(min_length = 3, max_length = 20)]
    phone: String,
    issue_type: IssueType,
    /// What went wrong, in the customer's words.
    #[schema(min_length = 10, max_length = 5000)]
    description: String,
    #[schema(max_length = 100)]
    order_id: Option<String>,
    /// Normal when left out.
    priority: Option<Priority>,
    /// Must be absent or empty (a trap for bots).
    #[schema(max_length = 0)]
    website: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportAccepted {
    /// Always true.
    pub success: bool,
    pub issue_id: i64,
    pub message: String,
}

/// Report a problem with an order.
#[utoipa::path(post, path = "/api/customer-care/report", tag = "reports",
    request_body(content = ReportRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Stored", body = ReportAccepted),
        (status = 400, description = "The body is not a JSON object", body = ReportRejected),
        (status = 413, description = "The body is too large", body = ReportRejected),
        (status = 415, description = "The body is not JSON", body = ReportRejected),
        (status = 422, description = "Fields are missing or invalid; nothing was stored", body = ReportRejected),
        (status = 429, description = "Too many reports from this address; see Retry-After", body = ReportRejected,
            headers(("Retry-After" = u64, description = "Seconds until a report is accepted again"))),
        (status = 503, description = "The database is unavailable; nothing was stored", body = ReportRejected),
    ))]
pub async fn report(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ReportAccepted>), ApiError> {
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        _ => ApiError::Malformed(rejection.body_text()),
    })?;
    let (form, honeypot, type_errors) = parse_report(&body)?;
    let id = intake::accept(&state, client, &form, honeypot.as_deref(), type_errors).await?;
    let message = intake::thank_you(id, state.page.response_hours());
    Ok((
        StatusCode::CREATED,
        Json(ReportAccepted {
            success: true,
            issue_id: id,
            message,
        }),
    ))
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

/// Reads the body field by field, so that a wrongly typed field is reported as that field's
/// error next to the others, rather than as one opaque parse failure. Returns the form, the
/// honeypot and the type errors.
fn parse_report(body: &[u8]) -> Result<(ReportForm, Option<String>, FieldErrors), ApiError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::Malformed(e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(ApiError::Malformed(
            "expected a JSON object with the report's fields".into(),
        ));
    };
    let mut errors = FieldErrors::new();
    let mut text = |field: &str| text_field(&object, field, &mut errors);
    let form = ReportForm {
        name: text("name"),
        email: text("email"),
        phone: text("phone"),
        order_id: text("order_id"),
        issue_type: text("issue_type"),
        description: text("description"),
        priority: text("priority"),
    };
    let honeypot = text(HONEYPOT_FIELD);
    Ok((form, honeypot, errors))
}

fn text_field(
    object: &Map<String, Value>,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    match object.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            errors.add(field, "Expected text.");
            None
        }
    }
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

    #[test]
    fn wrongly_typed_fields_are_each_reported() {
        let Ok((_, _, errors)) = parse_report(br#"{"name": 5, "email": ["a"], "phone": "1"}"#)
        else {
            panic!("must parse as an object");
        };
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["email", "name"]);
    }

    #[test]
    fn non_objects_and_broken_json_are_malformed() {
        for body in [&b"[1,2]"[..], b"\"text\"", b"{\"name\": ", b"\xff\xfe", b""] {
            assert!(
                matches!(parse_report(body), Err(ApiError::Malformed(_))),
                "{body:?}"
            );
        }
        let deep = "[".repeat(10_000);
        assert!(matches!(
            parse_report(deep.as_bytes()),
            Err(ApiError::Malformed(_))
        ));
    }
}
