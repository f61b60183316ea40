//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use caredesk_core::domain::PhoneRegion;
use ipnet::IpNet;
use sqlx::PgPool;

use crate::origin::AllowedOrigins;
use crate::page::PageRenderer;
use crate::photos::PhotoProcessor;
use crate::rate_limit::ClientLimiter;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub phone_region: PhoneRegion,
    /// Reports and customer messages stored per client.
    pub limiter: ClientLimiter,
    /// Status pages looked up per client (a guesser's tries are few).
    pub status_lookups: ClientLimiter,
    /// How long after resolution a status link keeps working (CAREDESK_STATUS_LINK_DAYS).
    pub status_link_days: i32,
    pub page: Arc<PageRenderer>,
    /// CAREDESK_PUBLIC_URL: status links in API answers are absolute with it.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (CAREDESK_TRUSTED_PROXIES).
    pub trusted_proxies: Arc<[IpNet]>,
    /// The shop's own sites (CAREDESK_ALLOWED_ORIGINS).
    pub allowed_origins: Arc<AllowedOrigins>,
    pub request_timeout: Duration,
    pub max_concurrent_requests: usize,
    /// Customers' photos: their limits, and the decoders they queue for.
    pub photos: PhotoProcessor,
}
