//! Wires settings, logging and the command line to the library.

use std::process::ExitCode;

use caredesk_server::cli::{self, AgentCommand, Cli, Command};
use caredesk_server::settings::{Settings, database_options};
use caredesk_server::startup::{Application, shutdown_signal};
use clap::Parser;
use sqlx::postgres::PgPoolOptions;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::Migrate => migrate().await,
        Command::Seed { count, seed } => seed_issues(count, seed).await,
        Command::Agent {
            command: AgentCommand::Add { login, admin },
        } => add_agent(&login, admin).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("caredesk-server: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Human-readable logs by default; one JSON object per line with `CAREDESK_LOG_FORMAT=json`.
fn init_logging() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("CAREDESK_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().init();
    } else {
        logs.init();
    }
}

async fn serve() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let app = Application::build(settings)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(address = %app.local_addr().map_err(|e| e.to_string())?, "serving /customer-care");
    app.run_until_stopped(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// A pool for one-off owner commands, connected now (not lazily) so errors show at once.
async fn owner_pool() -> Result<sqlx::PgPool, String> {
    let options =
        database_options(std::env::var("DATABASE_URL").ok()).map_err(|e| e.to_string())?;
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

async fn migrate() -> Result<(), String> {
    let pool = owner_pool().await?;
    caredesk_core::MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    println!("caredesk-server: the database schema is up to date");
    Ok(())
}

async fn seed_issues(count: u64, seed: u64) -> Result<(), String> {
    let options =
        database_options(std::env::var("DATABASE_URL").ok()).map_err(|e| e.to_string())?;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let started = std::time::Instant::now();
    caredesk_core::seed::seed(&pool, count, seed)
        .await
        .map_err(|e| match e {
            caredesk_core::Error::Invalid(errors) => errors.to_string(),
            other => format!("{other}: {:?}", std::error::Error::source(&other)),
        })?;
    println!(
        "caredesk-server: seeded {count} issues in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn add_agent(login: &str, admin: bool) -> Result<(), String> {
    let pool = owner_pool().await?;
    let generated = cli::add_agent(&pool, login, admin)
        .await
        .map_err(|e| match e {
            caredesk_core::Error::Invalid(errors) => errors.to_string(),
            other => other.to_string(),
        })?;
    let role = if admin {
        "caredesk_admin"
    } else {
        "caredesk_agent"
    };
    println!("Created the login \"{login}\" ({role}).");
    if let Some(password) = generated {
        println!("Password (shown only now; give it to the agent): {password}");
    }
    Ok(())
}
