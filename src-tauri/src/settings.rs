//! Non-secret settings in tauri-plugin-store (`settings.json` in the app's data folder):
//! notification choice, theme, the last sign-in's server and login, and whose password
//! the keychain remembers. Never a password.

pub use caredesk_core::db::is_this_computer;
pub use caredesk_core::desk::notice::NotifyLevel;
pub use caredesk_core::desk::reminders::RemindEvery;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use crate::error::{CommandError, ErrorKind};

const STORE_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";
const REMEMBERED_KEY: &str = "remembered_login";
/// The host the sign-in form suggests first: ./run.sh's embedded database is on it.
const DEFAULT_HOST: &str = "127.0.0.1";

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
    /// How often an urgent issue nobody has taken is brought up again.
    pub remind_every: RemindEvery,
    pub theme: Theme,
    pub last_host: String,
    pub last_port: u16,
    pub last_database: String,
    pub last_user: String,
    pub last_security: ConnectionSecurity,
    pub last_ca_file: Option<String>,
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
            last_port: suggested_port(),
            ..Self::first_run()
        }
    }
}

impl Settings {
    /// The settings before any are stored and before the environment is asked: what the UI
    /// shows until the desktop's answer arrives (generated into the UI's contract).
    pub fn first_run() -> Self {
        Self {
            notify_level: NotifyLevel::default(),
            remind_every: RemindEvery::default(),
            theme: Theme::default(),
            last_host: DEFAULT_HOST.into(),
            last_port: 5432,
            last_database: "caredesk".into(),
            last_user: String::new(),
            last_security: ConnectionSecurity::default_for(DEFAULT_HOST),
            last_ca_file: None,
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
    /// How the connection is secured (not part of the keychain account: the password is
    /// the login's, whatever the route).
    #[serde(default)]
    pub security: ConnectionSecurity,
    /// The CA certificate file that vouches for the server, when not one of the system's.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// How the desktop's connection to the database is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionSecurity {
    /// TLS, with the server's certificate checked against the system's CAs or the CA file,
    /// and its name against the host.
    #[default]
    Verified,
    /// TLS without any check of who answers.
    Encrypted,
    /// No TLS: only for this computer (localhost, a loopback address, a Unix socket).
    None,
}

impl ConnectionSecurity {
    pub const ALL: &'static [ConnectionSecurity] = &[
        ConnectionSecurity::Verified,
        ConnectionSecurity::Encrypted,
        ConnectionSecurity::None,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ConnectionSecurity::Verified => "Encrypted and verified (recommended)",
            ConnectionSecurity::Encrypted => "Encrypted, server not verified",
            ConnectionSecurity::None => "Not encrypted (this computer only)",
        }
    }

    /// What the agent should know before choosing it.
    pub fn note(self) -> &'static str {
        match self {
            ConnectionSecurity::Verified => {
                "The server must prove who it is with a certificate from a CA your computer trusts, or from the CA file your admin gave you."
            }
            ConnectionSecurity::Encrypted => {
                "Nobody can read the connection, but anyone who can redirect your network could pose as the server and receive your password."
            }
            ConnectionSecurity::None => {
                "Everything, your password too, travels in the clear: allowed only for a database on this computer."
            }
        }
    }

    /// Where the agent should start: no TLS for a database on this computer, verified TLS
    /// for any other.
    pub fn default_for(host: &str) -> Self {
        if is_this_computer(host) {
            ConnectionSecurity::None
        } else {
            ConnectionSecurity::Verified
        }
    }

    /// The choices the sign-in form offers for `host`: "none" only for this computer.
    pub fn choices_for(host: &str) -> ConnectionChoices {
        let offered = Self::ALL
            .iter()
            .copied()
            .filter(|&choice| choice != ConnectionSecurity::None || is_this_computer(host))
            .collect();
        ConnectionChoices {
            offered,
            suggested: Self::default_for(host),
        }
    }
}

/// How a connection to one host may be secured, and the choice to start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ConnectionChoices {
    pub offered: Vec<ConnectionSecurity>,
    pub suggested: ConnectionSecurity,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_computer_may_go_without_tls() {
        assert_eq!(
            ConnectionSecurity::default_for("127.0.0.1"),
            ConnectionSecurity::None
        );
        assert_eq!(
            ConnectionSecurity::default_for("db.example.com"),
            ConnectionSecurity::Verified
        );
    }

    #[test]
    fn the_form_offers_no_tls_only_for_this_computer() {
        let remote = ConnectionSecurity::choices_for("db.example.com");
        assert_eq!(
            remote.offered,
            [ConnectionSecurity::Verified, ConnectionSecurity::Encrypted]
        );
        assert_eq!(remote.suggested, ConnectionSecurity::Verified);
        let local = ConnectionSecurity::choices_for("localhost");
        assert_eq!(local.offered, ConnectionSecurity::ALL);
        assert_eq!(local.suggested, ConnectionSecurity::None);
    }
}
