//! Opening the customer's contact links (call, WhatsApp, email) and the shop's own order
//! page with the OS.

use caredesk_core::db::{issues, shop};
use caredesk_core::domain::links::ContactLinks;
use serde::Deserialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, ErrorKind};
use crate::session;

#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Call,
    Whatsapp,
    Email,
}

/// Builds the link in core (so it is the one the UI shows) and opens it. `draft` is the
/// response being written, used as the email's body.
pub async fn open_contact<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
    channel: Channel,
    draft: Option<String>,
) -> Result<(), CommandError> {
    let pool = session::state(app).pool().await?;
    let issue = issues::get_by_id(&pool, id).await?;
    let body = draft
        .filter(|d| !d.trim().is_empty())
        .or(issue.admin_response.clone())
        .unwrap_or_default();
    let links = ContactLinks::for_issue(&issue, &body);
    let url = match channel {
        Channel::Call => links.call,
        Channel::Whatsapp => links.whatsapp,
        Channel::Email => links.email,
    };
    open(app, url)
}

/// Opens the shop's page for the issue's order (the shop profile's `order_link`).
pub async fn open_order_page<R: Runtime>(app: &AppHandle<R>, id: i64) -> Result<(), CommandError> {
    let pool = session::state(app).pool().await?;
    let issue = issues::get_by_id(&pool, id).await?;
    let Some(order_id) = issue.order_id.as_deref() else {
        return Err(CommandError::new(
            ErrorKind::Invalid,
            format!("Issue #{id} names no order"),
        ));
    };
    let Some(link) = shop::order_link(&pool).await? else {
        return Err(CommandError::new(
            ErrorKind::Invalid,
            "The shop profile gives no order page (order_link)",
        ));
    };
    open(app, link.for_order(order_id))
}

fn open<R: Runtime>(app: &AppHandle<R>, url: String) -> Result<(), CommandError> {
    app.opener().open_url(url, None::<&str>).map_err(|e| {
        CommandError::new(ErrorKind::Internal, format!("Could not open the link: {e}"))
    })
}
