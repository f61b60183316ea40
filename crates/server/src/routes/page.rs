//! The public page: `GET /customer-care`, its plain form post (for browsers without
//! JavaScript) and its two static assets.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use caredesk_core::FieldErrors;
use caredesk_core::domain::Language;
use caredesk_core::photos::PhotoLimits;
use caredesk_core::report::ReportForm;
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::error::ApiError;
use crate::intake::Submission;
use crate::page::{Confirmation, FormValues};
use crate::posted::{self, Posted, Unreadable};
use crate::state::AppState;
use crate::{intake, lang};

const STYLESHEET: &str = include_str!("../../static/customer-care.css");
const SCRIPT: &str = include_str!("../../static/customer-care.js");

pub fn router(photos: &PhotoLimits) -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::permanent("/customer-care") }))
        .route(
            "/customer-care",
            get(show).post(submit.layer(DefaultBodyLimit::max(photos.request_bytes()))),
        )
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

/// `?lang=de`: the language switch's choice.
#[derive(Debug, Default, Deserialize)]
pub struct LanguageChoice {
    pub lang: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(choice): Query<LanguageChoice>,
) -> Response {
    let language = lang::of_request(&state.page, &headers, choice.lang.as_deref());
    html(
        StatusCode::OK,
        state
            .page
            .form(language, &FormValues::default(), &FieldErrors::new(), None),
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

/// The form's plain post: URL-encoded, or multipart when it carries photos (the page's
/// form is multipart, so that photos need no JavaScript).
async fn submit(State(state): State<AppState>, client: ClientAddr, request: Request) -> Response {
    let headers = request.headers().clone();
    let max_file_bytes = state.photos.limits().max_bytes;
    let (posted, uploads) = match posted::read::<PostedForm>(request, max_file_bytes).await {
        Ok(Posted { form, uploads }) => (form, uploads),
        Err(unreadable) => {
            let language = lang::of_request(&state.page, &headers, None);
            let error = match unreadable {
                Unreadable::TooLarge => ApiError::TooLarge,
                Unreadable::Malformed(_) => ApiError::Malformed(caredesk_core::i18n::text(
                    language,
                    "error-form-unreadable",
                )),
            };
            return error_page(&state, language, &FormValues::default(), error);
        }
    };
    let language = lang::of_request(&state.page, &headers, posted.form.language.as_deref());
    let submission = Submission {
        form: &posted.form,
        honeypot: posted.website.as_deref(),
        uploads,
        errors: FieldErrors::new(),
    };
    match intake::accept(&state, client, &headers, submission, language).await {
        Ok(reported) => {
            let confirmation = Confirmation {
                issue_id: reported.id,
                message: intake::thank_you(
                    reported.id,
                    state.page.shop(language).response_hours,
                    language,
                ),
                status_path: intake::status_path(&reported),
            };
            html(
                StatusCode::OK,
                state.page.confirmation(language, confirmation),
            )
        }
        Err(error) => error_page(&state, language, &echo(posted.form), error),
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
fn error_page(
    state: &AppState,
    language: Language,
    values: &FormValues,
    error: ApiError,
) -> Response {
    let mut response = html(
        error.status(),
        state.page.form(
            language,
            values,
            &error.field_errors(),
            Some(&error.message(language)),
        ),
    );
    if let Some(seconds) = error.retry_after() {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    response
}

pub(crate) fn html(status: StatusCode, rendered: Result<String, minijinja::Error>) -> Response {
    match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "the customer-care page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>Error</title><p>Something went wrong on our side. Please try again.</p>"))
                .into_response()
        }
    }
}
