//! Allowances per client per minute: reports and messages stored
//! (`CAREDESK_REPORTS_PER_MINUTE`), status pages looked up
//! (`CAREDESK_STATUS_LOOKUPS_PER_MINUTE`). A client is its IPv4 address, or its IPv6
//! network (`CAREDESK_IPV6_PREFIX`, default /64): one household or phone gets a whole /64
//! and could otherwise use a fresh address for every request.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How many leading bits of an IPv6 address name one client, unless configured.
pub const DEFAULT_IPV6_PREFIX: u8 = 64;

#[derive(Clone)]
pub struct ClientLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    ipv6_prefix: u8,
}

/// The address the allowance is kept under: IPv4 as it is, IPv6 cut to its network.
fn client_key(client: IpAddr, ipv6_prefix: u8) -> IpAddr {
    match client.to_canonical() {
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(ipv6_prefix.min(128)))
                .unwrap_or(0);
            IpAddr::V6((u128::from(v6) & mask).into())
        }
        v4 => v4,
    }
}

impl ClientLimiter {
    /// `None` turns the limit off.
    pub fn per_minute(reports: Option<u32>, ipv6_prefix: u8) -> Self {
        let limiter = reports
            .and_then(NonZeroU32::new)
            .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n))));
        Self {
            limiter,
            ipv6_prefix,
        }
    }

    /// Takes one from `client`'s allowance, or says how long until the next one.
    pub fn take(&self, client: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter
            .check_key(&client_key(client, self.ipv6_prefix))
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
        let limiter = ClientLimiter::per_minute(Some(2), DEFAULT_IPV6_PREFIX);
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
        let limiter = ClientLimiter::per_minute(None, DEFAULT_IPV6_PREFIX);
        let client: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1000).all(|_| limiter.take(client).is_ok()));
    }

    #[test]
    fn one_ipv6_network_is_one_client_and_mapped_ipv4_is_ipv4() {
        let limiter = ClientLimiter::per_minute(Some(1), DEFAULT_IPV6_PREFIX);
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limiter.take(ip("2001:db8:1:2::1")).is_ok());
        assert!(
            limiter.take(ip("2001:db8:1:2:ffff::42")).is_err(),
            "another address of the same /64"
        );
        assert!(
            limiter.take(ip("2001:db8:1:3::1")).is_ok(),
            "the next /64 is another client"
        );
        assert!(limiter.take(ip("203.0.113.9")).is_ok());
        assert!(
            limiter.take(ip("::ffff:203.0.113.9")).is_err(),
            "the same IPv4 client"
        );
        let narrow = ClientLimiter::per_minute(Some(1), 128);
        assert!(narrow.take(ip("2001:db8::1")).is_ok());
        assert!(
            narrow.take(ip("2001:db8::2")).is_ok(),
            "/128: every address its own"
        );
    }
}
