//! `caredesk-server agent add|list|disable|enable|reset-password|remove`: the team from a
//! terminal, through the same database functions the admins' desktop uses.

use std::io::{IsTerminal, Read};

use caredesk_core::agents::{self, AgentLogin, TeamMember};
use caredesk_core::secret::Password;
use sqlx::PgPool;

/// Creates the login; returns the password when it was generated (to be shown once).
pub async fn add_agent(
    pool: &PgPool,
    login: &str,
    admin: bool,
) -> Result<Option<Password>, caredesk_core::Error> {
    let login = AgentLogin::parse(login)?;
    let (password, generated) = given_or_generated();
    agents::create(pool, &login, &password, admin).await?;
    Ok(generated.then_some(password))
}

/// Gives the login a new password; returns it when it was generated (to be shown once).
pub async fn reset_password(
    pool: &PgPool,
    login: &str,
) -> Result<Option<Password>, caredesk_core::Error> {
    let login = AgentLogin::parse(login)?;
    let (password, generated) = given_or_generated();
    agents::reset_password(pool, &login, &password).await?;
    Ok(generated.then_some(password))
}

pub async fn set_enabled(
    pool: &PgPool,
    login: &str,
    enabled: bool,
) -> Result<(), caredesk_core::Error> {
    agents::set_enabled(pool, &AgentLogin::parse(login)?, enabled).await
}

pub async fn remove(pool: &PgPool, login: &str) -> Result<(), caredesk_core::Error> {
    agents::remove(pool, &AgentLogin::parse(login)?).await
}

/// The team as a table for a terminal.
pub fn team_table(team: &[TeamMember]) -> String {
    let mut table = format!(
        "{:<24} {:<6} {:<9} {}\n",
        "LOGIN", "ADMIN", "ENABLED", "LAST SEEN (UTC)"
    );
    for member in team {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let seen = member
            .last_seen_at
            .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "never".into());
        table.push_str(&format!(
            "{:<24} {:<6} {:<9} {seen}\n",
            member.login,
            yes_no(member.is_admin),
            yes_no(member.enabled)
        ));
    }
    table
}

pub async fn team(pool: &PgPool) -> Result<Vec<TeamMember>, caredesk_core::Error> {
    agents::team(pool).await
}

/// A password piped on standard input, else a generated one (and whether it was).
fn given_or_generated() -> (Password, bool) {
    match password_from_stdin() {
        Some(password) => (password, false),
        None => (Password::generate(), true),
    }
}

/// The first line of piped standard input; `None` for a terminal or empty input.
fn password_from_stdin() -> Option<Password> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return None;
    }
    let mut text = String::new();
    stdin.read_to_string(&mut text).ok()?;
    let line = text.lines().next().unwrap_or_default();
    (!line.is_empty()).then(|| Password::new(line))
}
