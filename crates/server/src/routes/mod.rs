//! The HTTP surface: one module per feature, merged here.

mod health;
pub mod openapi;
pub(crate) mod page;
mod report;
mod status;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::{BoxError, Router};
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// Larger than any valid report (5000 characters of description is at most 20 KB).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'";

pub fn app(state: AppState) -> Router {
    // Slow or flooding clients: each request has a total time, and past the limit of
    // requests at once the service answers 503 at once instead of queueing without end.
    let limits = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: BoxError| async {
            // in the API's error shape, which the page's script also reads
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                axum::Json(serde_json::json!({
                    "success": false,
                    "message": "Too many requests at once; please try again in a few seconds.",
                    "errors": {},
                })),
            )
        }))
        .load_shed()
        .concurrency_limit(state.max_concurrent_requests)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.request_timeout,
        ));
    // Only the shop's own sites may show the pages in a frame (an embedded form); with
    // none listed, no site may, and older browsers hear it from X-Frame-Options too.
    let frame_ancestors = state.allowed_origins.frame_ancestors();
    let mut headers = vec![
        (
            header::CONTENT_SECURITY_POLICY,
            format!("{CSP}; frame-ancestors {frame_ancestors}"),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::REFERRER_POLICY, "no-referrer".to_owned()),
    ];
    if state.allowed_origins.is_empty() {
        headers.push((header::X_FRAME_OPTIONS, "DENY".to_owned()));
    }
    let mut router = Router::new()
        .merge(page::router(state.photos.limits()))
        .merge(status::router(state.photos.limits()))
        .merge(report::router(
            &state.allowed_origins,
            state.photos.limits(),
        ))
        .merge(health::router())
        .merge(openapi::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(limits)
        .layer(TraceLayer::new_for_http());
    for (name, value) in headers {
        // the origins were checked when the settings were read; should one still not fit
        // in a header, the strictest policy stands in
        let value = HeaderValue::from_str(&value).unwrap_or_else(|_| {
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")
        });
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router.with_state(state)
}
