//! caredesk-server end to end over HTTP: a real bound server on a fresh database per test,
//! connected with the intake role's privileges, as in production.

mod cli_test;
mod exposure_test;
mod fault_test;
mod health_test;
mod helpers;
mod mail_test;
mod page_test;
mod photos_test;
mod report_test;
mod smtp;
mod status_test;
mod tls;
