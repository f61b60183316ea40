//! The customers' photos in the desktop: a full-size photo for the viewer (fetched only
//! when the agent opens it; the detail view carries the thumbnails) and "save as" through
//! the system's save dialog.

use caredesk_core::photos;
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::CommandError;
use crate::file_dialog::{self, Ask};
use crate::session;

/// A photo at full size, as the viewer shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FullPhoto {
    #[ts(type = "number")]
    pub id: i64,
    /// `data:image/jpeg;base64,…` (the window's CSP takes images only from the app or as data).
    pub data_url: String,
    /// What "save as" suggests.
    pub file_name: String,
}

pub async fn photo<R: Runtime>(app: &AppHandle<R>, id: i64) -> Result<FullPhoto, CommandError> {
    let pool = session::state(app).pool().await?;
    let photo = photos::get(&pool, id).await?;
    Ok(FullPhoto {
        id: photo.id,
        data_url: photo.data_url(),
        file_name: photo.file_name(),
    })
}

/// Asks where to save the photo and writes it there; the path written, or `None` when the
/// agent cancelled the dialog.
pub async fn save_photo<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
) -> Result<Option<String>, CommandError> {
    let pool = session::state(app).pool().await?;
    let photo = photos::get(&pool, id).await?;
    let ask = Ask {
        title: "Save the customer's photo",
        filter: ("Image", &[photo.content_type.extension()]),
        unusable: "The photo cannot be saved there",
    };
    let Some(path) = ask.save(app, photo.file_name()).await? else {
        return Ok(None);
    };
    file_dialog::write(&path, &photo.image, "photo").await?;
    Ok(Some(path.display().to_string()))
}
