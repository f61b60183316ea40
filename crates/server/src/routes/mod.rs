//! The HTTP surface: one module per feature, merged here.

mod health;
pub mod openapi;
mod page;
mod report;

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
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn app(state: AppState) -> Router {
    // Slow or flooding clients: each request has a total time, and past the limit of
    // requests at once the service answers 503 at once instead of queueing without end.
    let limits = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: BoxError| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "Too many requests at once; please try again in a few seconds.",
            )
        }))
        .load_shed()
        .concurrency_limit(state.max_concurrent_requests)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.request_timeout,
        ));
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = Router::new()
        .merge(page::router())
        .merge(report::router(&state.allowed_origins))
        .merge(health::router())
        .merge(openapi::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(limits)
        .layer(TraceLayer::new_for_http());
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(state)
}
