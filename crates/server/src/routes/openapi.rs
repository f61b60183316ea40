//! `GET /api/openapi.json`, generated from the handlers' annotations.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

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
        super::report::ReportAccepted,
        crate::error::ReportRejected,
        super::health::Health
    ))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
