//! Forms as they arrive: URL-encoded (words only, what a form without files posts) or
//! `multipart/form-data` (words and photos: the page's form, the status page's message,
//! and the report API's multipart variant). Either way the words are read into the same
//! form type, and the files come out as uploads for the photo processor.

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::photos::Upload;
use crate::routes::BODY_LIMIT_BYTES;

/// A form's words and its files.
#[derive(Debug)]
pub struct Posted<T> {
    pub form: T,
    pub uploads: Vec<Upload>,
}

/// Why a post could not be read; the caller words it for its page or API.
#[derive(Debug)]
pub enum Unreadable {
    TooLarge,
    Malformed(String),
}

impl From<Unreadable> for ApiError {
    fn from(unreadable: Unreadable) -> Self {
        match unreadable {
            Unreadable::TooLarge => ApiError::TooLarge,
            Unreadable::Malformed(detail) => ApiError::Malformed(detail),
        }
    }
}

pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Reads a post; files larger than `max_file_bytes` are kept as named but empty uploads
/// (their refusal says so), and the words of a post, files aside, are held to the limit of
/// a report.
pub async fn read<T: DeserializeOwned>(
    request: Request,
    max_file_bytes: usize,
) -> Result<Posted<T>, Unreadable> {
    if is_multipart(request.headers()) {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|rejection| Unreadable::Malformed(rejection.body_text()))?;
        let (fields, uploads) = read_multipart(multipart, max_file_bytes).await?;
        let form = serde_json::from_value(Value::Object(fields))
            .map_err(|error| Unreadable::Malformed(error.to_string()))?;
        return Ok(Posted { form, uploads });
    }
    // without files, a post is as small as a report
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT_BYTES)
        .await
        .map_err(|_| Unreadable::TooLarge)?;
    let request = Request::from_parts(parts, Body::from(bytes));
    let Form(form) = Form::<T>::from_request(request, &())
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Unreadable::TooLarge,
            _ => Unreadable::Malformed(rejection.body_text()),
        })?;
    Ok(Posted {
        form,
        uploads: Vec::new(),
    })
}

async fn read_multipart(
    mut multipart: Multipart,
    max_file_bytes: usize,
) -> Result<(Map<String, Value>, Vec<Upload>), Unreadable> {
    let broken = |error: axum::extract::multipart::MultipartError| match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Unreadable::TooLarge,
        _ => Unreadable::Malformed(error.body_text()),
    };
    let mut fields = Map::new();
    let mut uploads = Vec::new();
    let mut words = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if too_large || bytes.len() + chunk.len() > max_file_bytes {
                    too_large = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            // a form's file input that was left empty still sends a part, nameless and empty
            if !too_large && bytes.is_empty() && file_name.is_empty() {
                continue;
            }
            uploads.push(Upload {
                file_name,
                bytes: (!too_large).then(|| Bytes::from(bytes)),
            });
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            words += chunk.len();
            if words > BODY_LIMIT_BYTES {
                return Err(Unreadable::TooLarge);
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(text)
            .map_err(|_| Unreadable::Malformed(format!("the field {name} is not UTF-8 text")))?;
        fields.insert(name, Value::String(text));
    }
    Ok((fields, uploads))
}
