//! The signed-in agent: a connection pool under the agent's own PostgreSQL login (so the
//! database's grants are the app's permissions), and the live listener that goes with it.

use std::time::Duration;

use caredesk_core::secret::Password;
use caredesk_core::sqlstate;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tauri::{AppHandle, Manager, Runtime, State};
use tokio::sync::RwLock;

use crate::error::{CommandError, ErrorKind};
use crate::settings::RememberedLogin;

/// How long signing in may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// How long a command waits for a connection before saying the database is away.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SignInRequest {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: Password,
    pub remember: bool,
}

impl SignInRequest {
    pub fn login(&self) -> RememberedLogin {
        RememberedLogin {
            host: self.host.trim().to_owned(),
            port: self.port,
            database: self.database.trim().to_owned(),
            user: self.user.trim().to_owned(),
        }
    }
}

/// Who is signed in, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Agent {
    pub user: String,
    pub is_admin: bool,
    pub host: String,
    pub port: u16,
    pub database: String,
}

pub struct Session {
    pub pool: PgPool,
    pub agent: Agent,
    listener: Option<tokio::task::JoinHandle<()>>,
}

impl Session {
    pub fn attach_listener(&mut self, task: tokio::task::JoinHandle<()>) {
        if let Some(old) = self.listener.replace(task) {
            old.abort();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(task) = self.listener.take() {
            task.abort();
        }
    }
}

/// The app's session slot: empty until an agent signs in.
#[derive(Default)]
pub struct SessionState(pub RwLock<Option<Session>>);

/// The app's session slot (managed by `build_app`).
pub fn state<R: Runtime>(app: &AppHandle<R>) -> State<'_, SessionState> {
    app.state::<SessionState>()
}

impl SessionState {
    /// The signed-in agent's pool, or "not signed in".
    pub async fn pool(&self) -> Result<PgPool, CommandError> {
        self.0
            .read()
            .await
            .as_ref()
            .map(|s| s.pool.clone())
            .ok_or_else(CommandError::not_signed_in)
    }

    pub async fn agent(&self) -> Result<Agent, CommandError> {
        self.0
            .read()
            .await
            .as_ref()
            .map(|s| s.agent.clone())
            .ok_or_else(CommandError::not_signed_in)
    }
}

/// Connects as the agent and checks that the login is a CareDesk agent. Each way it can
/// fail gets its own kind and message.
pub async fn connect(
    login: &RememberedLogin,
    password: &Password,
) -> Result<Session, CommandError> {
    check_filled(login, password)?;
    let options = caredesk_core::db::with_session_settings(
        PgConnectOptions::new()
            .host(&login.host)
            .port(login.port)
            .database(&login.database)
            .username(&login.user)
            .password(password.expose())
            .application_name("caredesk-desktop"),
    );
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options);
    let pool = match tokio::time::timeout(CONNECT_TIMEOUT, pool).await {
        Ok(Ok(pool)) => pool,
        Ok(Err(error)) => return Err(explain_connect_error(login, &error)),
        Err(_) => return Err(unreachable(login, "it did not answer in time")),
    };
    let roles = sqlx::query!(
        r#"SELECT pg_has_role(current_user, 'caredesk_agent', 'MEMBER') AS "agent!",
                  pg_has_role(current_user, 'caredesk_admin', 'MEMBER') AS "admin!""#
    )
    .fetch_one(&pool)
    .await;
    let (is_agent, is_admin) = match roles {
        Ok(roles) => (roles.agent, roles.admin),
        // the roles do not exist: this is not a CareDesk database
        Err(error) if sqlstate::is(&error, sqlstate::UNDEFINED_OBJECT) => (false, false),
        Err(error) => return Err(caredesk_core::Error::from(error).into()),
    };
    if !is_agent {
        pool.close().await;
        return Err(CommandError::new(
            ErrorKind::NotAnAgent,
            format!(
                "\"{}\" signed in, but is not a CareDesk agent on database \"{}\". Ask an admin to run: caredesk-server agent add {}",
                login.user, login.database, login.user
            ),
        ));
    }
    let agent = Agent {
        user: login.user.clone(),
        is_admin,
        host: login.host.clone(),
        port: login.port,
        database: login.database.clone(),
    };
    Ok(Session {
        pool,
        agent,
        listener: None,
    })
}

fn check_filled(login: &RememberedLogin, password: &Password) -> Result<(), CommandError> {
    let mut errors = caredesk_core::FieldErrors::new();
    for (field, value, what) in [
        ("host", login.host.as_str(), "the server's address"),
        ("database", login.database.as_str(), "the database name"),
        ("user", login.user.as_str(), "your login"),
    ] {
        if value.trim().is_empty() {
            errors.add(field, format!("Please enter {what}."));
        }
    }
    if password.is_blank() {
        errors.add("password", "Please enter your password.");
    }
    if login.port == 0 {
        errors.add("port", "Please enter the port (usually 5432).");
    }
    errors.into_result().map_err(CommandError::from)
}

fn unreachable(login: &RememberedLogin, why: &str) -> CommandError {
    CommandError::new(
        ErrorKind::Unreachable,
        format!(
            "Cannot reach the database server at {}:{}: {why}. Check the address and your network.",
            login.host, login.port
        ),
    )
}

fn explain_connect_error(login: &RememberedLogin, error: &sqlx::Error) -> CommandError {
    match error {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // no such login, a wrong password, or a login not allowed in
            Some(sqlstate::INVALID_PASSWORD | sqlstate::INVALID_AUTHORIZATION_SPECIFICATION) => {
                CommandError::new(
                    ErrorKind::WrongPassword,
                    format!("The login \"{}\" or its password is wrong.", login.user),
                )
            }
            Some(sqlstate::INVALID_CATALOG_NAME) => CommandError::new(
                ErrorKind::Unreachable,
                format!(
                    "The server at {}:{} has no database \"{}\".",
                    login.host, login.port, login.database
                ),
            ),
            _ => CommandError::new(
                ErrorKind::Unreachable,
                format!(
                    "The database server refused the connection: {}",
                    db.message()
                ),
            ),
        },
        sqlx::Error::Io(io) => unreachable(login, &io.to_string()),
        sqlx::Error::PoolTimedOut => unreachable(login, "it did not answer in time"),
        sqlx::Error::Tls(_) => unreachable(login, "the secure connection failed"),
        other => unreachable(login, &other.to_string()),
    }
}
