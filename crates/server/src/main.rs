//! Wires settings, logging and the command line to the library.

use std::process::ExitCode;

use caredesk_core::privacy::{self, CustomerKey};
use caredesk_server::cli::{self, AgentCommand, Cli, CliError, Command, CustomerCommand};
use caredesk_server::settings::{
    Settings, database_options, phone_region, public_url, shop_profile,
};
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
        Command::Backup { file } => backup(&file),
        Command::Restore { file } => restore(&file).await,
        Command::Agent { command } => agent(command).await,
        Command::Customer { command } => customer(command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caredesk-server: {error}");
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

async fn serve() -> Result<(), CliError> {
    let settings = Settings::from_env()?;
    let app = Application::build(settings).await?;
    if let Ok(address) = app.local_addr() {
        tracing::info!(%address, "serving /customer-care");
    }
    Ok(app.run_until_stopped(shutdown_signal()).await?)
}

/// A pool for one-off owner commands, connected now (not lazily) so errors show at once.
async fn owner_pool() -> Result<sqlx::PgPool, CliError> {
    let options = database_options(std::env::var("DATABASE_URL").ok())?;
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(CliError::Connect)
}

/// The schema, then the shop profile's response promise (which the database times issues
/// by), so one command brings a database in line with the release and the profile.
async fn migrate() -> Result<(), CliError> {
    let var = |name: &str| std::env::var(name).ok();
    let shop = shop_profile(var)?;
    let public_url = public_url(var("CAREDESK_PUBLIC_URL"))?;
    let pool = owner_pool().await?;
    caredesk_core::MIGRATOR.run(&pool).await?;
    println!("caredesk-server: the database schema is up to date");
    cli::apply_profile(&pool, &shop, public_url.as_deref()).await?;
    println!(
        "caredesk-server: issues reported from now on are due by the shop profile's promise; saved replies name the shop \"{}\"{}",
        shop.name,
        match &public_url {
            Some(url) => format!(" and link to {url}"),
            None => " (no status links: CAREDESK_PUBLIC_URL is not set)".to_owned(),
        }
    );
    Ok(())
}

fn database_url() -> Result<String, CliError> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .ok_or(CliError::Settings(
            caredesk_server::settings::SettingsError::MissingDatabaseUrl,
        ))
}

fn backup(file: &std::path::Path) -> Result<(), CliError> {
    cli::backup::backup(&database_url()?, file)?;
    println!(
        "caredesk-server: the database is written to {}",
        file.display()
    );
    Ok(())
}

async fn restore(file: &std::path::Path) -> Result<(), CliError> {
    let kept = cli::backup::restore(&database_url()?, file).await?;
    println!(
        "caredesk-server: the database is restored from {}; the one it replaced is kept as \"{kept}\" (drop it when you no longer need it)",
        file.display()
    );
    Ok(())
}

async fn agent(command: AgentCommand) -> Result<(), CliError> {
    let pool = owner_pool().await?;
    let show_once = |password: Option<caredesk_core::secret::Password>| {
        if let Some(password) = password {
            println!(
                "Password (shown only now; give it to the agent): {}",
                password.expose()
            );
        }
    };
    match command {
        AgentCommand::Add { login, admin } => {
            let generated = cli::add_agent(&pool, &login, admin).await?;
            let role = if admin {
                "caredesk_admin"
            } else {
                "caredesk_agent"
            };
            println!("Created the login \"{login}\" ({role}).");
            show_once(generated);
        }
        AgentCommand::List => print!("{}", cli::team_table(&cli::team(&pool).await?)),
        AgentCommand::Disable { login } => {
            cli::set_enabled(&pool, &login, false).await?;
            println!("\"{login}\" can no longer sign in; its open sessions were ended.");
        }
        AgentCommand::Enable { login } => {
            cli::set_enabled(&pool, &login, true).await?;
            println!("\"{login}\" can sign in again.");
        }
        AgentCommand::ResetPassword { login } => {
            let generated = cli::reset_password(&pool, &login).await?;
            println!("\"{login}\" has a new password.");
            show_once(generated);
        }
        AgentCommand::Remove { login } => {
            cli::remove(&pool, &login).await?;
            println!("Removed the login \"{login}\"; the issues it owned are nobody's now.");
        }
    }
    Ok(())
}

/// Privacy requests, as the owner or an admin login (`DATABASE_URL`); the database audits each.
async fn customer(command: CustomerCommand) -> Result<(), CliError> {
    let region = phone_region(std::env::var("CAREDESK_PHONE_REGION").ok())?;
    match command {
        CustomerCommand::Export { customer, file } => {
            let who = CustomerKey::parse(&customer, region)?;
            let pool = owner_pool().await?;
            let export = privacy::export(&pool, &who).await?;
            let issues = export["issues"].as_array().map_or(0, Vec::len);
            let json = serde_json::to_string_pretty(&export).expect("a JSON value serializes");
            match file {
                Some(path) => {
                    std::fs::write(&path, format!("{json}\n")).map_err(|e| {
                        CliError::Refused(format!("cannot write {}: {e}", path.display()))
                    })?;
                    println!(
                        "caredesk-server: {issues} issue(s) of this customer written to {}",
                        path.display()
                    );
                }
                None => {
                    println!("{json}");
                    eprintln!("caredesk-server: {issues} issue(s) of this customer exported");
                }
            }
        }
        CustomerCommand::Erase { customer, yes } => {
            let who = CustomerKey::parse(&customer, region)?;
            if !yes {
                return Err(CliError::Refused(
                    "erasing cannot be undone: run it again with --yes (and `customer export` first if they asked for a copy)".into(),
                ));
            }
            let pool = owner_pool().await?;
            let erased = privacy::erase(&pool, &who).await?;
            println!(
                "caredesk-server: erased {erased} issue(s) of this customer with their personal data; their timelines keep an anonymous trace"
            );
        }
    }
    Ok(())
}
