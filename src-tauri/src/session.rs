//! The signed-in agent: a connection pool under the agent's own PostgreSQL login (so the
//! database's grants are the app's permissions), and the live listener that goes with it.

use std::time::Duration;

use caredesk_core::secret::Password;
use caredesk_core::sqlstate;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use tauri::{AppHandle, Manager, Runtime, State};
use tokio::sync::RwLock;

use crate::error::{CommandError, ErrorKind};
use crate::settings::{ConnectionSecurity, RememberedLogin, is_this_computer};
use crate::tls;

/// How long signing in may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// How long a command waits for a connection before saying the database is away.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections a busy desktop may use at once besides its listener's.
const POOL_SIZE: u32 = 2;
/// An idle desktop keeps only its listening connection: pooled ones close after this long
/// unused, so fifty desktops need fifty connections, not a hundred and fifty.
const POOL_IDLE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SignInRequest {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: Password,
    pub remember: bool,
    pub security: ConnectionSecurity,
    /// A CA certificate file (PEM) to trust besides the system's; empty for none.
    pub ca_file: Option<String>,
}

impl SignInRequest {
    pub fn login(&self) -> RememberedLogin {
        RememberedLogin {
            host: self.host.trim().to_owned(),
            port: self.port,
            database: self.database.trim().to_owned(),
            user: self.user.trim().to_owned(),
            security: self.security,
            ca_file: self
                .ca_file
                .as_deref()
                .map(str::trim)
                .filter(|path| !path.is_empty())
                .map(str::to_owned),
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
    let options = caredesk_core::db::with_session_settings(secured(
        PgConnectOptions::new()
            .host(&login.host)
            .port(login.port)
            .database(&login.database)
            .username(&login.user)
            .password(password.expose())
            .application_name("caredesk-desktop"),
        login,
    )?);
    let pool = PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .min_connections(0)
        .idle_timeout(POOL_IDLE)
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
        return Err(not_an_agent(login));
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

/// The connection as secure as the agent chose: the password is sent only once the server
/// has shown what the choice asks for (sqlx refuses before it answers any password request).
fn secured(
    options: PgConnectOptions,
    login: &RememberedLogin,
) -> Result<PgConnectOptions, CommandError> {
    Ok(match login.security {
        ConnectionSecurity::Verified => {
            let verified = options.ssl_mode(PgSslMode::VerifyFull);
            match &login.ca_file {
                Some(path) => {
                    if std::fs::metadata(path).map_or(true, |m| !m.is_file()) {
                        return Err(CommandError::invalid_field(
                            "ca_file",
                            &format!("There is no CA certificate file at {path}."),
                        ));
                    }
                    verified.ssl_root_cert(path.as_str())
                }
                None => verified,
            }
        }
        ConnectionSecurity::Encrypted => options.ssl_mode(PgSslMode::Require),
        ConnectionSecurity::None if is_this_computer(&login.host) => {
            options.ssl_mode(PgSslMode::Disable)
        }
        ConnectionSecurity::None => {
            return Err(CommandError::invalid_field(
                "security",
                &format!(
                    "{} is another computer: your password would cross the network unencrypted. Choose an encrypted connection.",
                    login.host
                ),
            ));
        }
    })
}

fn not_an_agent(login: &RememberedLogin) -> CommandError {
    CommandError::new(
        ErrorKind::NotAnAgent,
        format!(
            "\"{}\" is not a CareDesk agent on database \"{}\". Ask an admin to run: caredesk-server agent add {}",
            login.user, login.database, login.user
        ),
    )
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
            // the password was right, but an admin disabled the login
            Some(sqlstate::INVALID_AUTHORIZATION_SPECIFICATION)
                if db.message().contains("not permitted to log in") =>
            {
                CommandError::new(
                    ErrorKind::WrongPassword,
                    format!(
                        "The login \"{}\" is disabled. Ask an admin to enable it again.",
                        login.user
                    ),
                )
            }
            // no such login, a wrong password, or a login not allowed in
            Some(sqlstate::INVALID_PASSWORD | sqlstate::INVALID_AUTHORIZATION_SPECIFICATION) => {
                CommandError::new(
                    ErrorKind::WrongPassword,
                    format!("The login \"{}\" or its password is wrong.", login.user),
                )
            }
            // only CareDesk's roles may connect to its database
            Some(sqlstate::INSUFFICIENT_PRIVILEGE) => not_an_agent(login),
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
        sqlx::Error::Tls(_) | sqlx::Error::Io(_) if tls::refusal(error).is_some() => {
            tls::explain(login, error)
        }
        sqlx::Error::Io(io) => unreachable(login, &io.to_string()),
        sqlx::Error::PoolTimedOut => unreachable(login, "it did not answer in time"),
        sqlx::Error::Tls(_) => unreachable(login, "the secure connection failed"),
        other => unreachable(login, &other.to_string()),
    }
}
