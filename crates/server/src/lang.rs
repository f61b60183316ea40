//! Which language a request is answered in: the one the customer chose on the page
//! (`?lang=`, or the form's hidden field) when the shop offers it, else the best match of
//! the browser's `Accept-Language` among the shop's languages, else the shop's default.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use caredesk_core::domain::Language;
use caredesk_core::i18n::negotiate;

use crate::page::PageRenderer;

pub fn of_request(page: &PageRenderer, headers: &HeaderMap, chosen: Option<&str>) -> Language {
    if let Some(language) = chosen.and_then(|code| Language::parse(code).ok()) {
        return page.offered(language);
    }
    let header = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    negotiate(header, &page.languages())
}
