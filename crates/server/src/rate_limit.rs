//! Reports accepted per client address per minute (`CAREDESK_REPORTS_PER_MINUTE`).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct ReportLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
}

impl ReportLimiter {
    /// `None` turns the limit off.
    pub fn per_minute(reports: Option<u32>) -> Self {
        let limiter = reports
            .and_then(NonZeroU32::new)
            .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n))));
        Self { limiter }
    }

    /// Takes one report from `client`'s allowance, or says how long until the next one.
    pub fn take(&self, client: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets clients whose allowance is full again, so memory stays bounded.
    pub fn forget_idle_clients(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_allowance_then_waits_and_others_are_unaffected() {
        let limiter = ReportLimiter::per_minute(Some(2));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(limiter.take(a).is_ok());
        assert!(limiter.take(a).is_ok());
        let wait = limiter.take(a).unwrap_err();
        assert!(
            wait > Duration::from_secs(1) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiter.take(b).is_ok());
    }

    #[test]
    fn no_limit_never_refuses() {
        let limiter = ReportLimiter::per_minute(None);
        let client: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1000).all(|_| limiter.take(client).is_ok()));
    }
}
