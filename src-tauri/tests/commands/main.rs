//! The desktop commands on Tauri's mock runtime, against a real PostgreSQL (a fresh
//! database per test), signed in as real agent logins.

mod budget_test;
mod helpers;
mod issues_test;
mod live_test;
mod sign_in_test;
mod tls_test;
