//! The team: admins list the agents, add one, disable and enable a login, reset a password
//! and grant or take back admin (the database's functions refuse anyone else, and anything
//! but a CareDesk login); every agent changes their own password.

use caredesk_core::agents::{self, AgentLogin, TeamMember};
use caredesk_core::secret::Password;
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::{CommandError, ErrorKind};
use crate::secrets;
use crate::session;
use crate::settings;

/// The team after a change, what the change was, and a generated password to show once.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TeamChanged {
    pub team: Vec<TeamMember>,
    pub said: String,
    /// Shown to the admin once, to pass on; never stored.
    pub password: Option<String>,
}

pub async fn list_team<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<TeamMember>, CommandError> {
    let pool = session::state(app).pool().await?;
    Ok(agents::team(&pool).await?)
}

/// The typed password, or a generated one (to be shown once) when none was typed.
fn typed_or_generated(password: Option<Password>) -> (Password, bool) {
    match password.filter(|p| !p.is_blank()) {
        Some(typed) => (typed, false),
        None => (Password::generate(), true),
    }
}

async fn changed<R: Runtime>(
    app: &AppHandle<R>,
    said: String,
    password: Option<Password>,
) -> Result<TeamChanged, CommandError> {
    Ok(TeamChanged {
        team: list_team(app).await?,
        said,
        password: password.map(|p| p.expose().to_owned()),
    })
}

pub async fn add_agent<R: Runtime>(
    app: &AppHandle<R>,
    login: String,
    password: Option<Password>,
    admin: bool,
) -> Result<TeamChanged, CommandError> {
    let login = AgentLogin::parse(&login)?;
    let (password, generated) = typed_or_generated(password);
    let pool = session::state(app).pool().await?;
    agents::create(&pool, &login, &password, admin).await?;
    let role = if admin { "an admin" } else { "an agent" };
    let said = if generated {
        format!(
            "{} can sign in now, as {role}, with the password shown here once",
            login.as_str()
        )
    } else {
        format!(
            "{} can sign in now, as {role}, with the password you typed",
            login.as_str()
        )
    };
    changed(app, said, generated.then_some(password)).await
}

pub async fn set_agent_enabled<R: Runtime>(
    app: &AppHandle<R>,
    login: String,
    enabled: bool,
) -> Result<TeamChanged, CommandError> {
    let login = AgentLogin::parse(&login)?;
    let pool = session::state(app).pool().await?;
    agents::set_enabled(&pool, &login, enabled).await?;
    let said = if enabled {
        format!("{} can sign in again", login.as_str())
    } else {
        format!(
            "{} can no longer sign in; their open desktops were signed out, their history stays",
            login.as_str()
        )
    };
    changed(app, said, None).await
}

pub async fn reset_agent_password<R: Runtime>(
    app: &AppHandle<R>,
    login: String,
    password: Option<Password>,
) -> Result<TeamChanged, CommandError> {
    let login = AgentLogin::parse(&login)?;
    let (password, generated) = typed_or_generated(password);
    let pool = session::state(app).pool().await?;
    agents::reset_password(&pool, &login, &password).await?;
    let said = if generated {
        format!("{} has a new password, shown here once", login.as_str())
    } else {
        format!("{} has the new password you typed", login.as_str())
    };
    changed(app, said, generated.then_some(password)).await
}

pub async fn set_agent_admin<R: Runtime>(
    app: &AppHandle<R>,
    login: String,
    admin: bool,
) -> Result<TeamChanged, CommandError> {
    let login = AgentLogin::parse(&login)?;
    let pool = session::state(app).pool().await?;
    agents::set_admin(&pool, &login, admin).await?;
    let said = if admin {
        format!(
            "{} is an admin now (from their next sign-in)",
            login.as_str()
        )
    } else {
        format!("{} is no longer an admin", login.as_str())
    };
    changed(app, said, None).await
}

/// The signed-in agent's own new password: the database's, this desktop's next
/// connections', and the keychain's when it remembers this login.
pub async fn change_own_password<R: Runtime>(
    app: &AppHandle<R>,
    password: Password,
) -> Result<String, CommandError> {
    let pool = session::state(app).pool().await?;
    agents::change_own_password(&pool, &password).await?;
    pool.set_connect_options(
        pool.connect_options()
            .as_ref()
            .clone()
            .password(password.expose()),
    );
    let agent = session::state(app).agent().await?;
    let remembered = settings::remembered(app)?.filter(|login| {
        login.user == agent.user && login.host == agent.host && login.port == agent.port
    });
    if let Some(login) = remembered {
        secrets::store(&login.account(), &password).map_err(|e| {
            CommandError::new(
                ErrorKind::Internal,
                format!("Your password is changed, but the keychain still holds the old one: {e}. Sign out and in again with the new one."),
            )
        })?;
        return Ok("Your password is changed, here and in the keychain".into());
    }
    Ok("Your password is changed; use the new one next time you sign in".into())
}
