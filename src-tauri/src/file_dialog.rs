//! The system's file dialogs, awaited by the commands that need a path from the agent
//! (a CA file to open, a photo or an export to save), and the write that follows a save.
//! `None` always means the agent closed the dialog: nothing happened.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::error::{CommandError, ErrorKind};

/// What the dialog offers: its title and one file filter (name, extensions).
pub struct Ask<'a> {
    pub title: &'a str,
    pub filter: (&'a str, &'a [&'a str]),
    /// Said when the chosen file has no local path, before the reason.
    pub unusable: &'a str,
}

impl Ask<'_> {
    fn dialog<R: Runtime>(&self, app: &AppHandle<R>) -> FileDialogBuilder<R> {
        app.dialog()
            .file()
            .set_title(self.title)
            .add_filter(self.filter.0, self.filter.1)
    }

    /// An existing file to open.
    pub async fn open<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Option<PathBuf>, CommandError> {
        let (chosen, answer) = tokio::sync::oneshot::channel();
        self.dialog(app).pick_file(move |file| {
            let _ = chosen.send(file);
        });
        self.path(answer.await.ok().flatten())
    }

    /// Where to save a file, suggesting `file_name`.
    pub async fn save<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        file_name: impl Into<String>,
    ) -> Result<Option<PathBuf>, CommandError> {
        let (chosen, answer) = tokio::sync::oneshot::channel();
        self.dialog(app)
            .set_file_name(file_name)
            .save_file(move |file| {
                let _ = chosen.send(file);
            });
        self.path(answer.await.ok().flatten())
    }

    fn path(&self, file: Option<FilePath>) -> Result<Option<PathBuf>, CommandError> {
        file.map(|file| {
            file.into_path().map_err(|error| {
                CommandError::new(ErrorKind::Invalid, format!("{}: {error}", self.unusable))
            })
        })
        .transpose()
    }
}

/// Writes what the agent chose to save; the error names `what` and the place.
pub async fn write(path: &Path, bytes: &[u8], what: &str) -> Result<(), CommandError> {
    tokio::fs::write(path, bytes).await.map_err(|error| {
        CommandError::new(
            ErrorKind::Invalid,
            format!("The {what} was not saved to {}: {error}", path.display()),
        )
    })
}
