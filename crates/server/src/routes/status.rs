//! An issue's status page, for the customer who holds its link: `GET` shows it, and two
//! plain form posts (no JavaScript needed) add a message and answer "Did this solve your
//! problem?". Every link that opens nothing (malformed, unknown or expired) gets the same
//! 404 page, and lookups are limited per client, so links cannot be guessed.

use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use caredesk_core::FieldErrors;
use caredesk_core::domain::{Description, Language};
use caredesk_core::i18n::{Message, text};
use caredesk_core::photos::{self, PhotoLimits};
use caredesk_core::status::{self, CustomerView, StatusToken};
use chrono::Utc;
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::page::StatusForm;
use crate::posted::{self, Posted, Unreadable};
use crate::routes::page::html;
use crate::state::AppState;
use crate::{intake, lang, origin};

pub fn router(photos: &PhotoLimits) -> Router<AppState> {
    Router::new()
        .route("/customer-care/status/{token}", get(show))
        .route(
            "/customer-care/status/{token}/message",
            post(write.layer(DefaultBodyLimit::max(photos.request_bytes()))),
        )
        .route("/customer-care/status/{token}/satisfaction", post(answer))
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    lang: Option<String>,
    /// What the post before the redirect stored: "message", "answer", or "already".
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct MessageForm {
    message: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AnswerForm {
    /// "yes" or "no"
    solved: Option<String>,
    comment: Option<String>,
    lang: Option<String>,
}

fn path_of(token: &StatusToken) -> String {
    format!("/customer-care/status/{}", token.as_str())
}

async fn show(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let asked = query.lang.as_deref();
    if let Err(wait) = state.status_lookups.take(client.0) {
        return too_many(&state, lang::of_request(&state.page, &headers, asked), wait);
    }
    let Some(token) = StatusToken::parse(&raw) else {
        return not_found(&state, lang::of_request(&state.page, &headers, asked));
    };
    let view = match status::view(&state.pool, &token, state.status_link_days).await {
        Ok(Some(view)) => view,
        Ok(None) => return not_found(&state, lang::of_request(&state.page, &headers, asked)),
        Err(error) => return unavailable(&state, &headers, asked, &error),
    };
    let form = StatusForm {
        done: query
            .done
            .filter(|done| matches!(done.as_str(), "message" | "answer" | "already")),
        ..StatusForm::default()
    };
    page(
        &state,
        language_of(&state, asked, &view),
        &token,
        &view,
        &form,
        StatusCode::OK,
    )
}

/// A message in words, photos or both (a multipart post when it carries photos).
async fn write(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(raw): Path<String>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let max_file_bytes = state.photos.limits().max_bytes;
    let read = posted::read::<MessageForm>(request, max_file_bytes).await;
    let too_large = matches!(read, Err(Unreadable::TooLarge));
    let (posted, uploads) = match read {
        Ok(Posted { form, uploads }) => (form, uploads),
        Err(_) => (MessageForm::default(), Vec::new()),
    };
    let asked = posted.lang.as_deref();
    let (token, view) = match open(&state, client, &headers, &raw, asked).await {
        Ok(opened) => opened,
        Err(refused) => return refused,
    };
    let language = language_of(&state, asked, &view);
    let typed = posted.message.unwrap_or_default();
    let again = |message_error: Option<Message>, photos_error: Option<String>, status| {
        let form = StatusForm {
            message: typed.clone(),
            message_error: message_error.map(|e| e.in_language(language)),
            photos_error,
            ..StatusForm::default()
        };
        page(&state, language, &token, &view, &form, status)
    };
    if too_large {
        let error = Message::new("error-too-large");
        return again(Some(error), None, StatusCode::PAYLOAD_TOO_LARGE);
    }
    // photos alone need no words
    let message = if typed.trim().is_empty() && !uploads.is_empty() {
        None
    } else {
        match Description::parse_message(&typed) {
            Ok(message) => Some(message),
            Err(error) => return again(Some(error), None, StatusCode::UNPROCESSABLE_ENTITY),
        }
    };
    let mut refusals = FieldErrors::new();
    let photos = intake::prepare_photos(&state, uploads, &mut refusals).await;
    if let Some(refused) = refusals.get(photos::FIELD) {
        let said: Vec<String> = refused.iter().map(|m| m.in_language(language)).collect();
        return again(None, Some(said.join(" ")), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // only messages that would be stored use up the allowance, as with reports
    if let Err(wait) = state.limiter.take(client.0) {
        let error = Message::new("error-too-many").with("seconds", wait.as_secs().max(1));
        let mut response = again(Some(error), None, StatusCode::TOO_MANY_REQUESTS);
        retry_after(&mut response, wait);
        return response;
    }
    let stored = status::write(
        &state.pool,
        &token,
        state.status_link_days,
        message.as_ref(),
        &photos,
    )
    .await;
    match stored {
        Ok(Some(id)) => {
            tracing::info!(
                issue_id = id,
                photos = photos.len(),
                "customer message stored"
            );
            done(&token, language, "message")
        }
        Ok(None) => not_found(&state, language),
        Err(error) => unavailable(&state, &headers, asked, &error),
    }
}

async fn answer(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Path(raw): Path<String>,
    posted: Result<Form<AnswerForm>, FormRejection>,
) -> Response {
    let posted = posted.map(|Form(f)| f).unwrap_or_default();
    let asked = posted.lang.as_deref();
    let (token, view) = match open(&state, client, &headers, &raw, asked).await {
        Ok(opened) => opened,
        Err(refused) => return refused,
    };
    let language = language_of(&state, asked, &view);
    let typed = posted.comment.unwrap_or_default();
    let solved = match posted.solved.as_deref() {
        Some("yes") => true,
        Some("no") => false,
        // only a hand-made post lacks the button's value: show the question again
        _ => {
            return page(
                &state,
                language,
                &token,
                &view,
                &StatusForm::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let comment = match Description::parse_comment(&typed) {
        Ok(comment) => comment,
        Err(error) => {
            let form = StatusForm {
                comment: typed.clone(),
                comment_error: Some(error.in_language(language)),
                ..StatusForm::default()
            };
            return page(
                &state,
                language,
                &token,
                &view,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match status::answer(
        &state.pool,
        &token,
        state.status_link_days,
        solved,
        comment.as_ref(),
    )
    .await
    {
        Ok(true) => done(&token, language, "answer"),
        Ok(false) => done(&token, language, "already"),
        Err(error) => unavailable(&state, &headers, asked, &error),
    }
}

/// The token and its issue for a post that may go on: from this site, within the client's
/// lookups, a link that opens an issue; else the page that says which of those failed.
async fn open(
    state: &AppState,
    client: ClientAddr,
    headers: &HeaderMap,
    raw: &str,
    asked: Option<&str>,
) -> Result<(StatusToken, CustomerView), Response> {
    let language = lang::of_request(&state.page, headers, asked);
    if !origin::may_post(headers, &state.allowed_origins) {
        let message = text(language, "error-cross-site");
        return Err(html(
            StatusCode::FORBIDDEN,
            state.page.not_found(language, Some(&message)),
        ));
    }
    if let Err(wait) = state.status_lookups.take(client.0) {
        return Err(too_many(state, language, wait));
    }
    let token = StatusToken::parse(raw).ok_or_else(|| not_found(state, language))?;
    match status::view(&state.pool, &token, state.status_link_days).await {
        Ok(Some(view)) => Ok((token, view)),
        Ok(None) => Err(not_found(state, language)),
        Err(error) => Err(unavailable(state, headers, asked, &error)),
    }
}

/// The customer's choice on the page, else the language the issue was reported in.
fn language_of(state: &AppState, asked: Option<&str>, view: &CustomerView) -> Language {
    match asked.and_then(|code| Language::parse(code).ok()) {
        Some(language) => state.page.offered(language),
        None => state.page.offered(view.language),
    }
}

fn page(
    state: &AppState,
    language: Language,
    token: &StatusToken,
    view: &CustomerView,
    form: &StatusForm,
    status: StatusCode,
) -> Response {
    let mut response = html(
        status,
        state
            .page
            .status(language, &path_of(token), view, form, Utc::now()),
    );
    // the link is the key to the issue: never cached, never passed on as a referrer
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Back to the page (303), saying what was stored; a reload does not post again.
fn done(token: &StatusToken, language: Language, what: &str) -> Response {
    Redirect::to(&format!(
        "{}?lang={}&done={what}",
        path_of(token),
        language.as_str()
    ))
    .into_response()
}

fn not_found(state: &AppState, language: Language) -> Response {
    html(StatusCode::NOT_FOUND, state.page.not_found(language, None))
}

fn too_many(state: &AppState, language: Language, wait: Duration) -> Response {
    let message = Message::new("too-many-lookups")
        .with("seconds", wait.as_secs().max(1))
        .in_language(language);
    let mut response = html(
        StatusCode::TOO_MANY_REQUESTS,
        state.page.not_found(language, Some(&message)),
    );
    retry_after(&mut response, wait);
    response
}

fn unavailable(
    state: &AppState,
    headers: &HeaderMap,
    asked: Option<&str>,
    error: &caredesk_core::Error,
) -> Response {
    tracing::error!(%error, "a status page could not be read");
    let language = lang::of_request(&state.page, headers, asked);
    let message = text(language, "status-unavailable");
    let mut response = html(
        StatusCode::SERVICE_UNAVAILABLE,
        state.page.not_found(language, Some(&message)),
    );
    retry_after(&mut response, Duration::from_secs(30));
    response
}

fn retry_after(response: &mut Response, wait: Duration) {
    if let Ok(value) = header::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}
