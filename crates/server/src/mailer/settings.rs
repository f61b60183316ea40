//! The mailer's configuration: where mail goes (`CAREDESK_SMTP_URL`, lettre's URL form), who
//! it is from, and the mailer's own database login (`CAREDESK_MAILER_DATABASE_URL`), whose
//! role may read and update only the outbox.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sqlx::postgres::PgConnectOptions;

use crate::settings::{SettingsError, database_options, number};

/// How often the mailer looks for due emails when it has nothing to do.
pub const DEFAULT_POLL_MS: u64 = 2000;
/// The first retry's wait; each later one doubles it, up to an hour.
pub const DEFAULT_RETRY_SECONDS: u64 = 60;

#[derive(Clone)]
pub struct MailSettings {
    /// lettre's connection URL; it may carry the SMTP password, so it is never printed.
    pub smtp_url: String,
    /// The sender; the shop profile's name and email when not set.
    pub from: Option<Mailbox>,
    /// A CA certificate (PEM) that vouches for the mail server besides the system's
    /// (`CAREDESK_SMTP_CA_FILE`), for a server with a certificate of the shop's own CA.
    pub ca_certificate: Option<Vec<u8>>,
    pub database: PgConnectOptions,
    pub poll: Duration,
    pub retry_base: Duration,
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &"<hidden>")
            .field("from", &self.from)
            .field("poll", &self.poll)
            .field("retry_base", &self.retry_base)
            .finish_non_exhaustive()
    }
}

impl MailSettings {
    /// `None` when no mail server is configured: then nothing is emailed, and the desktop
    /// says so.
    pub fn from_lookup(
        var: &impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, SettingsError> {
        let Some(smtp_url) = var("CAREDESK_SMTP_URL").filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let smtp_url = smtp_url.trim().to_owned();
        if let Err(error) =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&smtp_url)
        {
            return Err(SettingsError::BadValue {
                name: "CAREDESK_SMTP_URL",
                // lettre's message names the part that is wrong, never the password
                reason: format!(
                    "{error} (use smtp://host:port on loopback, smtp://user:pass@host:587?tls=required, or smtps://user:pass@host:465)"
                ),
            });
        }
        let url = url::Url::parse(&smtp_url).map_err(|_| SettingsError::BadValue {
            name: "CAREDESK_SMTP_URL",
            reason: "is not a URL".into(),
        })?;
        let encrypted = url.scheme() == "smtps"
            || url
                .query_pairs()
                .any(|(k, v)| k == "tls" && v == "required");
        let host = url.host_str().unwrap_or_default();
        if url.password().is_some() && !encrypted && !caredesk_core::db::is_this_computer(host) {
            return Err(SettingsError::BadValue {
                name: "CAREDESK_SMTP_URL",
                reason: format!(
                    "would send the SMTP password to {host} unencrypted; use smtp://…?tls=required (STARTTLS) or smtps:// (implicit TLS)"
                ),
            });
        }
        let ca_certificate = match var("CAREDESK_SMTP_CA_FILE").filter(|p| !p.trim().is_empty()) {
            None => None,
            Some(path) => {
                let bad = |reason: String| SettingsError::BadValue {
                    name: "CAREDESK_SMTP_CA_FILE",
                    reason,
                };
                if !encrypted {
                    return Err(bad(
                        "needs an encrypted CAREDESK_SMTP_URL (?tls=required or smtps://)".into(),
                    ));
                }
                let pem =
                    std::fs::read(path.trim()).map_err(|e| bad(format!("{}: {e}", path.trim())))?;
                Certificate::from_pem(&pem)
                    .map_err(|_| bad(format!("{} is not a PEM certificate", path.trim())))?;
                Some(pem)
            }
        };
        let from =
            match var("CAREDESK_MAIL_FROM").filter(|f| !f.trim().is_empty()) {
                None => None,
                Some(text) => Some(text.trim().parse::<Mailbox>().map_err(|_| {
                    SettingsError::BadValue {
                        name: "CAREDESK_MAIL_FROM",
                        reason: format!(
                            "\"{text}\" is not an address such as \"Shop <care@shop.example>\""
                        ),
                    }
                })?),
            };
        let database = database_options(var("CAREDESK_MAILER_DATABASE_URL")).map_err(|error| {
            SettingsError::BadValue {
                name: "CAREDESK_MAILER_DATABASE_URL",
                reason: match error {
                    SettingsError::MissingDatabaseUrl => {
                        "is not set: with CAREDESK_SMTP_URL, the mailer needs its own login (a member of caredesk_mailer), e.g. postgres://caredesk_mail@db.example/caredesk?sslmode=verify-full".into()
                    }
                    other => other.to_string().replace("DATABASE_URL", "CAREDESK_MAILER_DATABASE_URL"),
                },
            }
        })?;
        let poll = Duration::from_millis(number(
            var,
            "CAREDESK_MAIL_POLL_MS",
            DEFAULT_POLL_MS,
            50..=600_000,
            "a number of milliseconds from 50 to 600000",
        )?);
        let retry_base = Duration::from_secs(number(
            var,
            "CAREDESK_MAIL_RETRY_SECONDS",
            DEFAULT_RETRY_SECONDS,
            1..=3600,
            "a number of seconds from 1 to 3600",
        )?);
        Ok(Some(Self {
            smtp_url,
            from,
            ca_certificate,
            database,
            poll,
            retry_base,
        }))
    }
}

impl MailSettings {
    /// The SMTP transport the URL describes, trusting the CA file too when there is one.
    pub fn transport(
        &self,
        timeout: Duration,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| e.to_string())?
            .timeout(Some(timeout));
        if let Some(pem) = &self.ca_certificate {
            let url = url::Url::parse(&self.smtp_url).map_err(|e| e.to_string())?;
            let host = url.host_str().unwrap_or_default().to_owned();
            let certificate = Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            let parameters = TlsParameters::builder(host)
                .add_root_certificate(certificate)
                .build()
                .map_err(|e| e.to_string())?;
            builder = builder.tls(if url.scheme() == "smtps" {
                Tls::Wrapper(parameters)
            } else {
                Tls::Required(parameters)
            });
        }
        Ok(builder.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::lookup;

    #[test]
    fn no_smtp_url_means_no_mail() {
        assert!(MailSettings::from_lookup(&lookup(&[])).unwrap().is_none());
    }

    #[test]
    fn the_mailer_needs_its_own_login_and_hides_the_smtp_password() {
        let error =
            MailSettings::from_lookup(&lookup(&[("CAREDESK_SMTP_URL", "smtp://127.0.0.1:2525")]))
                .unwrap_err()
                .to_string();
        assert!(error.contains("CAREDESK_MAILER_DATABASE_URL"), "{error}");
        let settings = MailSettings::from_lookup(&lookup(&[
            ("CAREDESK_SMTP_URL", "smtps://shop:s3cret@mail.example:465"),
            (
                "CAREDESK_MAILER_DATABASE_URL",
                "postgres://caredesk_mail@localhost/caredesk",
            ),
            ("CAREDESK_MAIL_FROM", "Example Shop <care@shop.example>"),
        ]))
        .unwrap()
        .unwrap();
        assert!(!format!("{settings:?}").contains("s3cret"));
        assert_eq!(
            settings.from.unwrap().email.to_string(),
            "care@shop.example"
        );
    }

    #[test]
    fn a_bad_smtp_url_or_sender_is_named() {
        let error =
            MailSettings::from_lookup(&lookup(&[("CAREDESK_SMTP_URL", "ftp://mail.example")]))
                .unwrap_err()
                .to_string();
        assert!(error.contains("CAREDESK_SMTP_URL"), "{error}");
        let error = MailSettings::from_lookup(&lookup(&[
            ("CAREDESK_SMTP_URL", "smtp://127.0.0.1:2525"),
            (
                "CAREDESK_MAILER_DATABASE_URL",
                "postgres://caredesk_mail@localhost/caredesk",
            ),
            ("CAREDESK_MAIL_FROM", "not an address"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(error.contains("CAREDESK_MAIL_FROM"), "{error}");
    }

    #[test]
    fn an_smtp_password_never_crosses_a_network_unencrypted() {
        let error = MailSettings::from_lookup(&lookup(&[
            ("CAREDESK_SMTP_URL", "smtp://shop:s3cret@mail.example:587"),
            (
                "CAREDESK_MAILER_DATABASE_URL",
                "postgres://caredesk_mail@localhost/caredesk",
            ),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("unencrypted") && !error.contains("s3cret"),
            "{error}"
        );
        for fine in [
            "smtp://shop:s3cret@mail.example:587?tls=required",
            "smtps://shop:s3cret@mail.example",
            "smtp://shop:s3cret@127.0.0.1:2525",
        ] {
            let pairs = [
                ("CAREDESK_SMTP_URL", fine),
                (
                    "CAREDESK_MAILER_DATABASE_URL",
                    "postgres://caredesk_mail@localhost/caredesk",
                ),
            ];
            assert!(MailSettings::from_lookup(&lookup(&pairs)).is_ok(), "{fine}");
        }
    }
}
