//! caredesk-server: the public customer-care page and the report API over caredesk-core.

pub mod cli;
mod client;
pub mod error;
mod intake;
mod lang;
pub mod mailer;
pub mod origin;
pub mod page;
pub mod photos;
mod posted;
mod rate_limit;
pub mod routes;
pub mod settings;
pub mod shop;
pub mod startup;
mod state;

pub use startup::Application;
