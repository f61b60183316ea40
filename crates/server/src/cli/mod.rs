//! The command line: `caredesk-server` (serve), `migrate`, `agent …`, `customer …`, and
//! their errors.

mod agent;
pub mod backup;

use clap::{Parser, Subcommand};

pub use agent::{add_agent, remove, reset_password, set_enabled, team, team_table};

use caredesk_core::db::shop::ShopFacts;

use crate::settings::SettingsError;
use crate::shop::ShopProfile;

/// Why an owner command failed, in words for whoever typed it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Input the database or core refused, with each field's problem.
    #[error("{0}")]
    Invalid(caredesk_core::FieldErrors),
    #[error("{0}")]
    Core(caredesk_core::Error),
    #[error(transparent)]
    Startup(#[from] crate::startup::StartupError),
    #[error("the service stopped: {0}")]
    Serve(#[from] std::io::Error),
    #[error("{0}")]
    Backup(String),
    /// A request refused before anything was done, in words for whoever typed it.
    #[error("{0}")]
    Refused(String),
}

/// Gives the database what it keeps of the shop profile (as the schema's owner): the
/// response promise it times issues by, the shop's name and public address (`public_url`)
/// that saved replies fill in, and its order page.
pub async fn apply_profile(
    pool: &sqlx::PgPool,
    shop: &ShopProfile,
    public_url: Option<&str>,
) -> Result<(), CliError> {
    let profile_error = |field: &'static str| {
        move |reason: String| {
            let mut errors = caredesk_core::FieldErrors::new();
            errors.add(field, reason);
            CliError::Invalid(errors)
        }
    };
    let promise = shop.promise().map_err(profile_error("promise"))?;
    let order_link = shop.order_link().map_err(profile_error("order_link"))?;
    let mut db = pool.acquire().await.map_err(CliError::Connect)?;
    caredesk_core::promise::apply(&mut db, &promise).await?;
    let facts = ShopFacts {
        name: &shop.name,
        public_url,
        order_link: order_link.as_ref(),
    };
    caredesk_core::db::shop::set(&mut *db, &facts).await?;
    Ok(())
}

impl From<caredesk_core::Error> for CliError {
    fn from(error: caredesk_core::Error) -> Self {
        match error {
            caredesk_core::Error::Invalid(errors) => CliError::Invalid(errors),
            other => CliError::Core(other),
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "caredesk-server",
    version,
    about = "CareDesk's public customer-care page and report API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the customer-care page and the report API (the default).
    Serve,
    /// Apply the database migrations and the shop profile's response promise (as the
    /// database owner) and exit.
    Migrate,
    /// Write the whole database (DATABASE_URL, as its owner) to FILE, in PostgreSQL's custom
    /// format (pg_dump).
    Backup { file: std::path::PathBuf },
    /// Put the database back as FILE holds it (pg_restore). The database it replaces is
    /// kept under another name, printed at the end.
    Restore { file: std::path::PathBuf },
    /// Manage agents' logins.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// A customer's privacy requests: export or erase everything CareDesk holds about them.
    Customer {
        #[command(subcommand)]
        command: CustomerCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Everything about one customer as JSON: their issues, timelines, emails and answers.
    Export {
        /// Their email address, or their phone number (as they would type it, or +49 …)
        customer: String,
        /// Write to FILE instead of standard output.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
    /// Erase one customer's issues and personal data for good (their timelines keep an
    /// anonymous trace). Export first if they asked for a copy.
    Erase {
        /// Their email address, or their phone number
        customer: String,
        /// Confirms the erasure: it cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Create an agent's PostgreSQL login. A password given on standard input is used;
    /// otherwise one is generated and printed once.
    Add {
        /// The login name, e.g. amina
        login: String,
        /// Also allow deleting resolved issues and managing the team.
        #[arg(long)]
        admin: bool,
    },
    /// List the team: each login, whether admin, whether enabled, when last seen.
    List,
    /// Stop a login from signing in (its open sessions end; its history stays).
    Disable { login: String },
    /// Let a disabled login sign in again.
    Enable { login: String },
    /// Give a login a new password: from standard input, or generated and printed once.
    ResetPassword { login: String },
    /// Remove a login for good; the issues it owned are then nobody's.
    Remove { login: String },
}
