//! `GET /api/openapi.json`, generated from the handlers' annotations, with the report's
//! length limits taken from core (the same constants the parsers enforce).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use caredesk_core::domain::contact_limits::{
    EMAIL_MAX_CHARS, NAME_MAX_CHARS, ORDER_ID_MAX_CHARS, PHONE_MAX_CHARS,
};
use caredesk_core::domain::text::{DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS};
use caredesk_core::photos::PhotoLimits;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CareDesk report API",
        description = "How customers report a problem with their order."
    ),
    paths(super::report::report, super::health::healthz),
    components(schemas(
        super::report::ReportRequest,
        super::report::PhotoReportRequest,
        super::report::ReportAccepted,
        crate::error::ReportRejected,
        super::health::Health
    )),
    modifiers(&ReportLimits)
)]
pub struct ApiDoc;

/// Each text field of a report: (name, at least, at most) characters.
pub const REPORT_FIELD_LIMITS: &[(&str, Option<usize>, usize)] = &[
    ("name", Some(1), NAME_MAX_CHARS),
    ("email", Some(1), EMAIL_MAX_CHARS),
    ("phone", Some(1), PHONE_MAX_CHARS),
    ("order_id", None, ORDER_ID_MAX_CHARS),
    (
        "description",
        Some(DESCRIPTION_MIN_CHARS),
        DESCRIPTION_MAX_CHARS,
    ),
    // the honeypot: people leave it empty
    ("website", None, 0),
];

/// Writes `REPORT_FIELD_LIMITS` into the `ReportRequest` schema.
struct ReportLimits;

impl Modify for ReportLimits {
    fn modify(&self, doc: &mut Document) {
        let Some(RefOr::T(Schema::Object(request))) = doc
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("ReportRequest"))
        else {
            return;
        };
        for &(field, min, max) in REPORT_FIELD_LIMITS {
            if let Some(RefOr::T(Schema::Object(property))) = request.properties.get_mut(field) {
                property.min_length = min;
                property.max_length = Some(max);
            }
        }
    }
}

/// The service's own photo limits, on the multipart variant's `photos` (the variant is
/// the JSON report's fields, all of them, and this one).
fn set_photo_limits(doc: &mut Document, limits: &PhotoLimits) {
    let Some(RefOr::T(schema)) = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut("PhotoReportRequest"))
    else {
        return;
    };
    let parts: Vec<&mut Schema> = match schema {
        Schema::AllOf(all) => all
            .items
            .iter_mut()
            .filter_map(|item| match item {
                RefOr::T(schema) => Some(schema),
                RefOr::Ref(_) => None,
            })
            .collect(),
        other => vec![other],
    };
    for part in parts {
        let Schema::Object(object) = part else {
            continue;
        };
        if let Some(RefOr::T(Schema::Array(photos))) = object.properties.get_mut("photos") {
            photos.max_items = Some(limits.max_count);
            photos.description = Some(format!(
                "JPEG, PNG, WebP or HEIC/HEIF; one part per photo, at most {} photos of at most {} MB each.",
                limits.max_count,
                limits.max_megabytes()
            ));
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|State(state): State<AppState>| async move {
            let mut doc = ApiDoc::openapi();
            set_photo_limits(&mut doc, state.photos.limits());
            Json(doc)
        }),
    )
}
