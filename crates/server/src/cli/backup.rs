//! `caredesk-server backup FILE` and `restore FILE`: PostgreSQL's own pg_dump and pg_restore
//! (custom format) on the database `DATABASE_URL` names, as its owner.
//!
//! A restore never loses the database it replaces: the archive is restored into a new
//! database first, and only when that has worked completely are the two swapped by name;
//! the one replaced is kept as `<name>_before_restore_<time>` (the name cut to fit
//! PostgreSQL's 63 bytes) until its owner drops it.
//! The password reaches pg_dump and pg_restore through their environment (PGPASSWORD),
//! never on a command line that `ps` would show.

use std::path::Path;
use std::process::Command;
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::CliError;

/// The libpq environment for the database `url` names (its `dbname` replaced if asked).
fn libpq_env(url: &str, database: Option<&str>) -> Result<Vec<(&'static str, String)>, CliError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|_| CliError::Backup("DATABASE_URL is not a PostgreSQL URL".into()))?;
    let parsed = url::Url::parse(url)
        .map_err(|_| CliError::Backup("DATABASE_URL is not a PostgreSQL URL".into()))?;
    let host = match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => options.get_host().to_owned(),
    };
    let ssl_mode = match options.get_ssl_mode() {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    };
    let mut env = vec![
        ("PGHOST", host),
        ("PGPORT", options.get_port().to_string()),
        ("PGUSER", options.get_username().to_owned()),
        (
            "PGDATABASE",
            database
                .or(options.get_database())
                .unwrap_or("postgres")
                .to_owned(),
        ),
        ("PGSSLMODE", ssl_mode.to_owned()),
    ];
    if let Some(password) = parsed.password() {
        let password = percent_encoding::percent_decode_str(password).decode_utf8_lossy();
        env.push(("PGPASSWORD", password.into_owned()));
    }
    if let Some((_, root)) = parsed.query_pairs().find(|(key, _)| key == "sslrootcert") {
        env.push(("PGSSLROOTCERT", root.into_owned()));
    }
    Ok(env)
}

fn run(program: &str, args: &[&str], env: &[(&'static str, String)]) -> Result<(), CliError> {
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .map_err(|e| {
            CliError::Backup(format!(
                "cannot run {program} (install PostgreSQL's client programs): {e}"
            ))
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(CliError::Backup(format!(
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}

/// Writes the whole database to `file`.
pub fn backup(url: &str, file: &Path) -> Result<(), CliError> {
    let env = libpq_env(url, None)?;
    let file = file.to_string_lossy();
    run("pg_dump", &["--format=custom", "--file", &file], &env)
}

/// Restores `file` in place of the database; returns the name the replaced one keeps.
pub async fn restore(url: &str, file: &Path) -> Result<String, CliError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|_| CliError::Backup("DATABASE_URL is not a PostgreSQL URL".into()))?;
    let name = options
        .get_database()
        .ok_or_else(|| CliError::Backup("DATABASE_URL names no database".into()))?
        .to_owned();
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
    // PostgreSQL cuts names at 63 bytes: the new ones must stay shorter, or they would be
    // the old name again
    let restoring = format!("caredesk_restoring_{stamp}");
    let kept_suffix = format!("_before_restore_{stamp}");
    let kept = format!("{}{kept_suffix}", prefix(&name, 63 - kept_suffix.len()));
    let mut maintenance = PgConnection::connect_with(&options.clone().database("postgres"))
        .await
        .map_err(CliError::Connect)?;
    let owner: String =
        sqlx::query_scalar("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut maintenance)
            .await
            .map_err(CliError::Connect)?;
    execute(
        &mut maintenance,
        &format!(
            "CREATE DATABASE {} OWNER {} TEMPLATE template0",
            quoted(&restoring),
            quoted(&owner)
        ),
    )
    .await?;
    let restored = run(
        "pg_restore",
        &[
            "--exit-on-error",
            "--single-transaction",
            "--no-comments",
            "--dbname",
            &restoring,
            &file.to_string_lossy(),
        ],
        &libpq_env(url, Some(&restoring))?,
    );
    if let Err(error) = restored {
        execute(
            &mut maintenance,
            &format!("DROP DATABASE {}", quoted(&restoring)),
        )
        .await?;
        return Err(error);
    }
    // the restored database gets the same connection rules as a migrated one
    let mut fresh = PgConnection::connect_with(&options.clone().database(&restoring))
        .await
        .map_err(CliError::Connect)?;
    execute(&mut fresh, "SELECT caredesk_secure_database()").await?;
    fresh.close().await.map_err(CliError::Connect)?;
    // swap: the old one keeps its data under another name (its sessions are ended first;
    // a client that reconnects at that moment only makes us try again)
    let mut attempts = 0;
    loop {
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&name)
        .execute(&mut maintenance)
        .await
        .map_err(CliError::Connect)?;
        let renamed = execute(
            &mut maintenance,
            &format!(
                "ALTER DATABASE {} RENAME TO {}",
                quoted(&name),
                quoted(&kept)
            ),
        )
        .await;
        attempts += 1;
        match renamed {
            Ok(()) => break,
            Err(error) if attempts >= 10 => return Err(error),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    }
    execute(
        &mut maintenance,
        &format!(
            "ALTER DATABASE {} RENAME TO {}",
            quoted(&restoring),
            quoted(&name)
        ),
    )
    .await?;
    Ok(kept)
}

/// The longest start of `name` within `bytes` bytes (on a character boundary).
fn prefix(name: &str, bytes: usize) -> &str {
    let mut end = bytes.min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

async fn execute(conn: &mut PgConnection, sql: &str) -> Result<(), CliError> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| CliError::Backup(format!("{e}")))
}
