//! Non-secret settings in tauri-plugin-store (`settings.json` in the app's data folder):
//! notification choice, theme, the last sign-in's server and login, and whose password
//! the keychain remembers. Never a password.

pub use caredesk_core::desk::notice::NotifyLevel;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use crate::error::{CommandError, ErrorKind};

const STORE_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";
const REMEMBERED_KEY: &str = "remembered_login";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: &'static [Theme] = &[Theme::System, Theme::Light, Theme::Dark];

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "Follow the system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct Settings {
    pub notify_level: NotifyLevel,
    pub theme: Theme,
    pub last_host: String,
    pub last_port: u16,
    pub last_database: String,
    pub last_user: String,
}

/// The port the sign-in form suggests before the first sign-in: `CAREDESK_PG_PORT` (set by
/// ./run.sh for its embedded database), else PostgreSQL's own default.
fn suggested_port() -> u16 {
    std::env::var("CAREDESK_PG_PORT")
        .ok()
        .and_then(|port| port.trim().parse().ok())
        .unwrap_or(5432)
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            notify_level: NotifyLevel::default(),
            theme: Theme::default(),
            last_host: "127.0.0.1".into(),
            last_port: suggested_port(),
            last_database: "caredesk".into(),
            last_user: String::new(),
        }
    }
}

/// The login whose password the keychain holds, for signing in silently at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedLogin {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

impl RememberedLogin {
    /// The keychain account name: `user@host:port/database`.
    pub fn account(&self) -> String {
        format!(
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }
}

fn store_error(error: impl std::fmt::Display) -> CommandError {
    CommandError::new(
        ErrorKind::Internal,
        format!("Settings could not be read or saved: {error}"),
    )
}

fn read<R: Runtime, T: serde::de::DeserializeOwned>(
    app: &AppHandle<R>,
    key: &str,
) -> Result<Option<T>, CommandError> {
    let store = app.store(STORE_FILE).map_err(store_error)?;
    // A value of an older shape is not worth failing over: fall back to the default.
    Ok(store
        .get(key)
        .and_then(|value| serde_json::from_value(value).ok()))
}

fn write<R: Runtime, T: Serialize>(
    app: &AppHandle<R>,
    key: &str,
    value: Option<&T>,
) -> Result<(), CommandError> {
    let store = app.store(STORE_FILE).map_err(store_error)?;
    match value {
        Some(value) => store.set(key, serde_json::to_value(value).map_err(store_error)?),
        None => {
            store.delete(key);
        }
    }
    store.save().map_err(store_error)
}

pub fn load<R: Runtime>(app: &AppHandle<R>) -> Result<Settings, CommandError> {
    Ok(read(app, SETTINGS_KEY)?.unwrap_or_default())
}

pub fn save<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), CommandError> {
    write(app, SETTINGS_KEY, Some(settings))
}

pub fn remembered<R: Runtime>(app: &AppHandle<R>) -> Result<Option<RememberedLogin>, CommandError> {
    read(app, REMEMBERED_KEY)
}

pub fn set_remembered<R: Runtime>(
    app: &AppHandle<R>,
    login: Option<&RememberedLogin>,
) -> Result<(), CommandError> {
    write(app, REMEMBERED_KEY, login)
}
