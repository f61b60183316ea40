//! `caredesk-server agent add <login> [--admin]`.

use std::io::{IsTerminal, Read};

use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::secret::Password;
use rand::Rng;
use rand::distr::Alphanumeric;
use sqlx::PgPool;

const GENERATED_PASSWORD_CHARS: usize = 24;

/// Creates the login; returns the password when it was generated (to be shown once).
pub async fn add_agent(
    pool: &PgPool,
    login: &str,
    admin: bool,
) -> Result<Option<Password>, caredesk_core::Error> {
    let login = AgentLogin::parse(login)?;
    let (password, generated) = match password_from_stdin() {
        Some(password) => (password, false),
        None => (
            Password::new(
                rand::rng()
                    .sample_iter(&Alphanumeric)
                    .take(GENERATED_PASSWORD_CHARS)
                    .map(char::from)
                    .collect::<String>(),
            ),
            true,
        ),
    };
    agents::create(pool, &login, &password, admin).await?;
    Ok(generated.then_some(password))
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
