//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use caredesk_core::domain::PhoneRegion;
use ipnet::IpNet;
use sqlx::PgPool;

use crate::origin::AllowedOrigins;
use crate::page::PageRenderer;
use crate::rate_limit::ReportLimiter;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub phone_region: PhoneRegion,
    pub limiter: ReportLimiter,
    pub page: Arc<PageRenderer>,
    /// Proxies whose `X-Forwarded-For` names the client (CAREDESK_TRUSTED_PROXIES).
    pub trusted_proxies: Arc<[IpNet]>,
    /// The shop's own sites (CAREDESK_ALLOWED_ORIGINS).
    pub allowed_origins: Arc<AllowedOrigins>,
    pub request_timeout: Duration,
    pub max_concurrent_requests: usize,
}
