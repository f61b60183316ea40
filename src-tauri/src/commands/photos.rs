//! The customers' photos in the desktop: a full-size photo for the viewer (fetched only
//! when the agent opens it; the detail view carries the thumbnails) and "save as" through
//! the system's save dialog.

use caredesk_core::photos;
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::{CommandError, ErrorKind};
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
    use tauri_plugin_dialog::DialogExt;
    let pool = session::state(app).pool().await?;
    let photo = photos::get(&pool, id).await?;
    let (chosen, answer) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save the customer's photo")
        .set_file_name(photo.file_name())
        .add_filter("Image", &[photo.content_type.extension()])
        .save_file(move |file| {
            let _ = chosen.send(file);
        });
    let Some(file) = answer.await.ok().flatten() else {
        return Ok(None);
    };
    let path = file.into_path().map_err(|error| {
        CommandError::new(
            ErrorKind::Invalid,
            format!("The photo cannot be saved there: {error}"),
        )
    })?;
    tokio::fs::write(&path, &photo.image)
        .await
        .map_err(|error| {
            CommandError::new(
                ErrorKind::Invalid,
                format!("The photo was not saved to {}: {error}", path.display()),
            )
        })?;
    Ok(Some(path.display().to_string()))
}
