//! CareDesk's core: the domain types (parsed once, at the edge), the validation of a
//! customer's report, and every SQL statement the system runs. It knows neither the web
//! server nor the desktop app; both are thin adapters over this crate.

pub mod agents;
pub mod db;
pub mod desk;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod outbox;
pub mod photos;
pub mod privacy;
pub mod promise;
pub mod report;
pub mod secret;
pub mod sqlstate;
pub mod status;

pub use error::{Error, FieldErrors};

/// The schema migrations, embedded. Apply with `MIGRATOR.run(&pool)` as the database owner.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");
