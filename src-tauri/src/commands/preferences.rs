//! Reading and saving the agent's settings.

use tauri::{AppHandle, Runtime};

use crate::error::CommandError;
use crate::settings::{self, Settings};

pub async fn get_settings<R: Runtime>(app: &AppHandle<R>) -> Result<Settings, CommandError> {
    settings::load(app)
}

pub async fn save_settings<R: Runtime>(
    app: &AppHandle<R>,
    settings: Settings,
) -> Result<Settings, CommandError> {
    settings::save(app, &settings)?;
    Ok(settings)
}
