//! The command line: `caredesk-server` (serve), `migrate`, `agent add`.

mod agent;

use clap::{Parser, Subcommand};

pub use agent::add_agent;

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
    /// Apply the database migrations (as the database owner) and exit.
    Migrate,
    /// Fill an empty database with generated issues (for load tests and benchmarks).
    Seed {
        /// How many issues.
        #[arg(long, default_value_t = 10_000)]
        count: u64,
        /// The random seed: the same seed gives the same issues.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage agents' logins.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Create an agent's PostgreSQL login. A password given on standard input is used;
    /// otherwise one is generated and printed once.
    Add {
        /// The login name, e.g. amina
        login: String,
        /// Also allow deleting resolved issues.
        #[arg(long)]
        admin: bool,
    },
}
