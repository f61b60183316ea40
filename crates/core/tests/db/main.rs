//! caredesk-core against a real PostgreSQL: a fresh database per test.

mod customer_side_test;
mod desk_test;
mod hardening_test;
mod helpers;
mod history_test;
mod issues_test;
mod list_test;
mod merge_test;
mod notes_test;
mod owners_test;
mod photos_test;
mod privacy_test;
mod promise_test;
mod replies_test;
mod roles_test;
mod schema_test;
mod stats_test;
mod team_test;
