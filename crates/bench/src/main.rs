//! `caredesk-bench dashboard`, `notify` and `photos`: numbers, printed as markdown
//! table rows, each measured beside its baseline in the same run. bench/run.sh drives them.

mod dashboard;
mod notify;
mod photos;
mod stats;

use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[derive(Parser)]
struct Cli {
    /// An owner's URL of a seeded database (see `caredesk-seed`).
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Each dashboard query: p50/p95 of CareDesk's way and of the naive way.
    Dashboard {
        /// A CareDesk agent login on the same server: its Mine view and counts.
        #[arg(long)]
        agent: String,
        #[arg(long, default_value_t = 40)]
        runs: usize,
        #[arg(long, default_value_t = 5)]
        naive_runs: usize,
    },
    /// From a report's insert to a LISTENing connection receiving its NOTIFY.
    Notify {
        #[arg(long, default_value_t = 200)]
        count: usize,
    },
    /// The most reports with 3 phone photos the server takes per second, and the plain
    /// report API's p95 alone and beside a steady stream of them, through a running
    /// caredesk-server.
    Photos {
        /// The report API, e.g. http://127.0.0.1:8080/api/customer-care/report
        #[arg(long)]
        url: String,
        /// Seconds per condition (the capacity run; the plain path alone; beside each photo
        /// rate), the last three split over rounds.
        #[arg(long, default_value_t = 45)]
        seconds: u64,
        /// Plain reports per second arriving, alone and beside the photo stream.
        #[arg(long, default_value_t = 200.0)]
        plain_rate: f64,
        /// Clients sending photo reports one after another, to find the most the server takes.
        #[arg(long, default_value_t = 2)]
        photo_clients: usize,
        /// Photo reports per second streaming in beside the plain ones, one run per rate.
        #[arg(long, value_delimiter = ',', default_values_t = [0.2, 0.5, 1.0])]
        photo_rates: Vec<f64>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = match PgConnectOptions::from_str(&cli.database_url) {
        Ok(options) => caredesk_core::db::with_session_settings(options),
        Err(error) => {
            eprintln!("caredesk-bench: bad DATABASE_URL: {error}");
            return ExitCode::FAILURE;
        }
    };
    let pool = match PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
    {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("caredesk-bench: cannot connect: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Dashboard {
            agent,
            runs,
            naive_runs,
        } => dashboard::run(&pool, &agent, runs, naive_runs).await,
        Command::Notify { count } => notify::run(&pool, count).await,
        Command::Photos {
            url,
            seconds,
            plain_rate,
            photo_clients,
            photo_rates,
        } => {
            photos::run(
                &pool,
                &url,
                seconds,
                plain_rate,
                photo_clients,
                &photo_rates,
            )
            .await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caredesk-bench: {error}");
            ExitCode::FAILURE
        }
    }
}
