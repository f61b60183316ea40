//! The public page: `GET /customer-care`, its plain form post (for browsers without
//! JavaScript) and its two static assets.

use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use caredesk_core::FieldErrors;
use caredesk_core::report::ReportForm;
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::error::ApiError;
use crate::intake;
use crate::page::FormValues;
use crate::state::AppState;

const STYLESHEET: &str = include_str!("../../static/customer-care.css");
const SCRIPT: &str = include_str!("../../static/customer-care.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::permanent("/customer-care") }))
        .route("/customer-care", get(show).post(submit))
        .route(
            "/static/customer-care.css",
            get(|| async { asset("text/css; charset=utf-8", STYLESHEET) }),
        )
        .route(
            "/static/customer-care.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn show(State(state): State<AppState>) -> Response {
    html(
        StatusCode::OK,
        state
            .page
            .form(&FormValues::default(), &FieldErrors::new(), None),
    )
}

/// The form's fields as posted (all optional, so that a partial post shows errors), and the
/// honeypot.
#[derive(Debug, Default, Deserialize)]
struct PostedForm {
    #[serde(flatten)]
    form: ReportForm,
    website: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    posted: Result<Form<PostedForm>, FormRejection>,
) -> Response {
    let posted = match posted {
        Ok(Form(posted)) => posted,
        Err(rejection) => {
            let error = match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
                _ => ApiError::Malformed("the form could not be read; please try again.".into()),
            };
            return error_page(&state, &FormValues::default(), error);
        }
    };
    match intake::accept(
        &state,
        client,
        &headers,
        &posted.form,
        posted.website.as_deref(),
        FieldErrors::new(),
    )
    .await
    {
        Ok(id) => {
            let message = intake::thank_you(id, state.page.response_hours());
            html(StatusCode::OK, state.page.confirmation(id, message))
        }
        Err(error) => error_page(&state, &echo(posted.form), error),
    }
}

fn echo(form: ReportForm) -> FormValues {
    FormValues {
        name: form.name.unwrap_or_default(),
        email: form.email.unwrap_or_default(),
        phone: form.phone.unwrap_or_default(),
        order_id: form.order_id.unwrap_or_default(),
        issue_type: form.issue_type.unwrap_or_default(),
        priority: form.priority.unwrap_or_default(),
        description: form.description.unwrap_or_default(),
    }
}

/// The page again, with what was typed, each field's errors and a banner; same status as the API.
fn error_page(state: &AppState, values: &FormValues, error: ApiError) -> Response {
    let mut response = html(
        error.status(),
        state
            .page
            .form(values, &error.field_errors(), Some(&error.message())),
    );
    if let Some(seconds) = error.retry_after() {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    response
}

fn html(status: StatusCode, rendered: Result<String, minijinja::Error>) -> Response {
    match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "the customer-care page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>Error</title><p>Something went wrong on our side. Please try again.</p>"))
                .into_response()
        }
    }
}
