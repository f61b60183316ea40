//! `caredesk-seed --count N`: fills the empty database at `DATABASE_URL` (an owner's URL)
//! with generated issues.

use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

use clap::Parser;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

#[derive(Parser)]
#[command(
    name = "caredesk-seed",
    version,
    about = "Fill an empty CareDesk database with generated issues"
)]
struct Cli {
    /// The database, as its owner.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,
    /// How many issues.
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    /// The random seed: the same seed gives the same issues.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = match PgConnectOptions::from_str(&cli.database_url) {
        Ok(options) => options,
        Err(_) => {
            eprintln!("caredesk-seed: DATABASE_URL is not a PostgreSQL URL");
            return ExitCode::FAILURE;
        }
    };
    let mut conn = match PgConnection::connect_with(&options).await {
        Ok(conn) => conn,
        Err(error) => {
            eprintln!("caredesk-seed: cannot connect to the database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    match caredesk_seed::seed(&mut conn, cli.count, cli.seed).await {
        Ok(()) => {
            println!(
                "caredesk-seed: seeded {} issues in {:.1} s",
                cli.count,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("caredesk-seed: nothing was added: {error}");
            ExitCode::FAILURE
        }
    }
}
