//! The server's configuration: the environment variables of the outside contract, plus the
//! shop's profile (name, contacts, hours, FAQ) from an optional TOML file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use caredesk_core::domain::PhoneRegion;
use caredesk_core::photos::{self, PhotoLimits};
use ipnet::IpNet;
use sqlx::postgres::PgConnectOptions;

use crate::origin::AllowedOrigins;
use crate::rate_limit::DEFAULT_IPV6_PREFIX;
use crate::shop::{ShopProfile, ShopProfileError};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_REPORTS_PER_MINUTE: u32 = 5;
pub const DEFAULT_POOL_SIZE: u32 = 10;
/// How long a request may take in all (a slow client cannot hold a worker longer); long
/// enough for a phone to upload a few photos over a slow mobile connection.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 60;
/// Requests served at once; more are answered 503 at once rather than queued.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 256;
/// Status pages one client may open per minute.
pub const DEFAULT_STATUS_LOOKUPS_PER_MINUTE: u32 = 30;
/// How long a status link keeps working after its issue is resolved.
pub const DEFAULT_STATUS_LINK_DAYS: i32 = 90;
/// The example shop profile's country; a shop elsewhere sets CAREDESK_PHONE_REGION.
pub const DEFAULT_PHONE_REGION: &str = "DE";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "DATABASE_URL is not set: point it at the CareDesk database (e.g. postgres://caredesk_web@127.0.0.1/caredesk), or start CareDesk with ./run.sh, which provides a local database"
    )]
    MissingDatabaseUrl,
    #[error("DATABASE_URL is not a valid PostgreSQL URL: {0}")]
    BadDatabaseUrl(String),
    #[error("{name} is invalid: {reason}")]
    BadValue { name: &'static str, reason: String },
    #[error(transparent)]
    ShopProfile(#[from] ShopProfileError),
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: PgConnectOptions,
    pub bind: SocketAddr,
    /// Reports accepted per client address per minute; `None` turns the limit off.
    pub reports_per_minute: Option<u32>,
    pub phone_region: PhoneRegion,
    pub shop: ShopProfile,
    /// Database connections the server may hold.
    pub pool_size: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: Vec<IpNet>,
    /// Leading bits of an IPv6 address that make one client for the report limit.
    pub ipv6_prefix: u8,
    /// The shop's own sites, which may post the form and call the API from a browser.
    pub allowed_origins: AllowedOrigins,
    pub request_timeout: Duration,
    pub max_concurrent_requests: usize,
    /// Status pages one client may open per minute; `None` turns the limit off.
    pub status_lookups_per_minute: Option<u32>,
    pub status_link_days: i32,
    /// Where customers reach this service (`CAREDESK_PUBLIC_URL`, no trailing slash): the
    /// report API's status links are absolute with it, and emails need it.
    pub public_url: Option<String>,
    /// Email delivery; `None` when no mail server is configured.
    pub mail: Option<crate::mailer::MailSettings>,
    /// How many photos a report or message may carry, and how large each may be.
    pub photo_limits: PhotoLimits,
    /// Photos decoded at once (CAREDESK_PHOTO_DECODERS; half the machine's cores by default).
    pub photo_decoders: usize,
}

/// Half the machine's cores, at least one: decoding never takes the whole machine from the
/// report API and the database. (The decoders' low priority counts only against this
/// server's own threads; the database, a process of its own, is scheduled beside the
/// server as a whole.)
fn default_photo_decoders() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| (usize::from(cores) / 2).max(1))
}

/// The country whose way of writing phone numbers customers use (`CAREDESK_PHONE_REGION`).
pub fn phone_region(code: Option<String>) -> Result<PhoneRegion, SettingsError> {
    let code = code.unwrap_or_else(|| DEFAULT_PHONE_REGION.to_owned());
    PhoneRegion::parse(&code).map_err(|reason| SettingsError::BadValue {
        name: "CAREDESK_PHONE_REGION",
        reason,
    })
}

/// The shop profile `CAREDESK_SHOP_PROFILE` names, or the built-in example.
pub fn shop_profile(var: impl Fn(&str) -> Option<String>) -> Result<ShopProfile, SettingsError> {
    Ok(match var("CAREDESK_SHOP_PROFILE") {
        None => ShopProfile::default(),
        Some(path) => ShopProfile::load(&PathBuf::from(path))?,
    })
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let database = database_options(var("DATABASE_URL"))?;
        let bind_text = var("CAREDESK_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text.parse().map_err(|_| SettingsError::BadValue {
            name: "CAREDESK_BIND",
            reason: format!("\"{bind_text}\" is not an address:port such as 127.0.0.1:8080"),
        })?;
        let reports_per_minute = per_minute(
            &var,
            "CAREDESK_REPORTS_PER_MINUTE",
            DEFAULT_REPORTS_PER_MINUTE,
        )?;
        let status_lookups_per_minute = per_minute(
            &var,
            "CAREDESK_STATUS_LOOKUPS_PER_MINUTE",
            DEFAULT_STATUS_LOOKUPS_PER_MINUTE,
        )?;
        let status_link_days = number(
            &var,
            "CAREDESK_STATUS_LINK_DAYS",
            DEFAULT_STATUS_LINK_DAYS,
            1..=3650,
            "a number of days from 1 to 3650",
        )?;
        let phone_region = phone_region(var("CAREDESK_PHONE_REGION"))?;
        let shop = shop_profile(&var)?;
        let pool_size = match var("CAREDESK_DB_POOL") {
            None => DEFAULT_POOL_SIZE,
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| SettingsError::BadValue {
                    name: "CAREDESK_DB_POOL",
                    reason: format!("\"{text}\" is not a number of connections from 1 to 1000"),
                })?,
        };
        let trusted_proxies = trusted_proxies(var("CAREDESK_TRUSTED_PROXIES").as_deref())?;
        let ipv6_prefix = number(
            &var,
            "CAREDESK_IPV6_PREFIX",
            DEFAULT_IPV6_PREFIX,
            1..=128,
            "a prefix length from 1 to 128 (64: one client per /64 network)",
        )?;
        let allowed_origins = AllowedOrigins::parse(
            &var("CAREDESK_ALLOWED_ORIGINS").unwrap_or_default(),
        )
        .map_err(|reason| SettingsError::BadValue {
            name: "CAREDESK_ALLOWED_ORIGINS",
            reason,
        })?;
        let request_timeout = Duration::from_secs(number(
            &var,
            "CAREDESK_REQUEST_TIMEOUT_SECS",
            DEFAULT_REQUEST_TIMEOUT_SECS,
            1..=600,
            "a number of seconds from 1 to 600",
        )?);
        let max_concurrent_requests = number(
            &var,
            "CAREDESK_MAX_CONCURRENT_REQUESTS",
            DEFAULT_MAX_CONCURRENT_REQUESTS,
            1..=100_000,
            "a number of requests from 1 to 100000",
        )?;
        let public_url = public_url(var("CAREDESK_PUBLIC_URL"))?;
        let mail = crate::mailer::MailSettings::from_lookup(&var)?;
        let photo_limits = photo_limits(&var)?;
        let photo_decoders = number(
            &var,
            "CAREDESK_PHOTO_DECODERS",
            default_photo_decoders(),
            1..=64,
            "a number of photos decoded at once, from 1 to 64",
        )?;
        Ok(Self {
            photo_limits,
            photo_decoders,
            database,
            bind,
            reports_per_minute,
            status_lookups_per_minute,
            status_link_days,
            public_url,
            mail,
            phone_region,
            shop,
            pool_size,
            trusted_proxies,
            ipv6_prefix,
            allowed_origins,
            request_timeout,
            max_concurrent_requests,
        })
    }
}

/// CAREDESK_PHOTO_MAX_COUNT and CAREDESK_PHOTO_MAX_MB.
fn photo_limits(var: &impl Fn(&str) -> Option<String>) -> Result<PhotoLimits, SettingsError> {
    let defaults = PhotoLimits::default();
    let max_count = number(
        var,
        "CAREDESK_PHOTO_MAX_COUNT",
        defaults.max_count,
        1..=photos::HARD_MAX_COUNT,
        &format!("a number of photos from 1 to {}", photos::HARD_MAX_COUNT),
    )?;
    let max_megabytes = number(
        var,
        "CAREDESK_PHOTO_MAX_MB",
        defaults.max_megabytes(),
        1..=photos::HARD_MAX_MEGABYTES,
        &format!(
            "a number of megabytes from 1 to {}",
            photos::HARD_MAX_MEGABYTES
        ),
    )?;
    // both were checked against the same ranges
    Ok(PhotoLimits::new(max_count, max_megabytes).unwrap_or(defaults))
}

/// An allowance per minute; 0 turns the limit off.
fn per_minute(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
) -> Result<Option<u32>, SettingsError> {
    match var(name) {
        None => Ok(Some(default)),
        Some(text) => match text.trim().parse::<u32>() {
            Ok(0) => Ok(None),
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(SettingsError::BadValue {
                name,
                reason: format!("\"{text}\" is not a whole number (0 turns the limit off)"),
            }),
        },
    }
}

/// CAREDESK_PUBLIC_URL: an http(s) URL without query or fragment.
pub fn public_url(text: Option<String>) -> Result<Option<String>, SettingsError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let bad = |reason: &str| SettingsError::BadValue {
        name: "CAREDESK_PUBLIC_URL",
        reason: format!("\"{text}\" {reason}"),
    };
    let url = url::Url::parse(text.trim())
        .map_err(|_| bad("is not a URL such as https://care.shop.example"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("must be an http:// or https:// address"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(Some(url.as_str().trim_end_matches('/').to_owned()))
}

/// A whole-number variable within `range`, or its default.
pub(crate) fn number<T>(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
    what: &str,
) -> Result<T, SettingsError>
where
    T: std::str::FromStr + PartialOrd,
{
    let Some(text) = var(name) else {
        return Ok(default);
    };
    text.trim()
        .parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| SettingsError::BadValue {
            name,
            reason: format!("\"{text}\" is not {what}"),
        })
}

/// A comma-separated list of addresses ("127.0.0.1") and networks ("10.0.0.0/8").
fn trusted_proxies(list: Option<&str>) -> Result<Vec<IpNet>, SettingsError> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| SettingsError::BadValue {
                    name: "CAREDESK_TRUSTED_PROXIES",
                    reason: format!(
                        "\"{entry}\" is not an address or network such as 127.0.0.1 or 10.0.0.0/8"
                    ),
                })
        })
        .collect()
}

/// Parses `DATABASE_URL` without echoing it: it may hold a password.
pub fn database_options(url: Option<String>) -> Result<PgConnectOptions, SettingsError> {
    let url = url
        .filter(|u| !u.trim().is_empty())
        .ok_or(SettingsError::MissingDatabaseUrl)?;
    PgConnectOptions::from_str(&url).map_err(|error| {
        let reason = match error {
            sqlx::Error::Configuration(inner) => inner.to_string(),
            other => other.to_string(),
        };
        SettingsError::BadDatabaseUrl(reason.replace(&url, "<DATABASE_URL>"))
    })
}

/// An environment made of `pairs`, for the settings tests.
#[cfg(test)]
pub(crate) fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let s = Settings::from_lookup(lookup(&[
            ("DATABASE_URL", "postgres://u@localhost/db"),
            ("CAREDESK_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1"),
        ]))
        .unwrap();
        let listed: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(listed, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let bad = Settings::from_lookup(lookup(&[
            ("DATABASE_URL", "postgres://u@localhost/db"),
            ("CAREDESK_TRUSTED_PROXIES", "127.0.0.1, proxy.local"),
        ]))
        .unwrap_err();
        assert!(
            bad.to_string()
                .contains("\"proxy.local\" is not an address"),
            "{bad}"
        );
    }

    #[test]
    fn defaults_apply_when_only_the_database_is_given() {
        let s = Settings::from_lookup(lookup(&[("DATABASE_URL", "postgres://u@localhost/db")]))
            .unwrap();
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.reports_per_minute, Some(DEFAULT_REPORTS_PER_MINUTE));
    }

    #[test]
    fn zero_reports_per_minute_turns_the_limit_off() {
        let s = Settings::from_lookup(lookup(&[
            ("DATABASE_URL", "postgres://u@h/db"),
            ("CAREDESK_REPORTS_PER_MINUTE", "0"),
        ]))
        .unwrap();
        assert_eq!(s.reports_per_minute, None);
    }

    #[test]
    fn bad_values_are_named_and_the_url_is_not_echoed() {
        assert!(matches!(
            Settings::from_lookup(lookup(&[])),
            Err(SettingsError::MissingDatabaseUrl)
        ));
        let bad_bind = Settings::from_lookup(lookup(&[
            ("DATABASE_URL", "postgres://u@h/db"),
            ("CAREDESK_BIND", "nowhere"),
        ]));
        assert!(bad_bind.unwrap_err().to_string().contains("CAREDESK_BIND"));
        let secret = "postgres://u:s3cret@h:notaport/db";
        let message = Settings::from_lookup(lookup(&[("DATABASE_URL", secret)]))
            .unwrap_err()
            .to_string();
        assert!(!message.contains("s3cret"), "{message}");
    }
}
