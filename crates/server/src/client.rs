//! The address a request came from, for the per-client report limit. Behind a reverse
//! proxy the peer is the proxy; when its address is listed in CAREDESK_TRUSTED_PROXIES, the
//! client is read from the `X-Forwarded-For` it appends to. A header from anyone else is
//! ignored, or a client could pick a fresh address for every report.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_canonical())
            // Only a router served without connect info (in-process tests) has no peer.
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

/// A hop as proxies write it, with or without a port ("203.0.113.7", "203.0.113.7:4711",
/// "[2001:db8::1]:443"), in its canonical form (an IPv4-mapped IPv6 address is the IPv4 one).
fn hop_address(hop: &str) -> Option<IpAddr> {
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

/// The client behind `peer`: the peer itself unless it is a trusted proxy; then, walking
/// `X-Forwarded-For` from the right (the hop nearest to us), the first address that is not
/// a trusted proxy. An entry that is not an address ends the walk at the hop before it.
/// Addresses are compared in their canonical form.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop_address(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            client_address(ip("198.51.100.9"), &headers, &[]),
            ip("198.51.100.9")
        );
        assert_eq!(
            client_address(ip("198.51.100.9"), &headers, &nets(&["10.0.0.0/8"])),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let trusted = nets(&["127.0.0.1/32"]);
        let headers = forwarded(&["203.0.113.7"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client_not_what_the_client_claims() {
        // the client wrote "1.2.3.4" itself; our two proxies appended the rest
        let trusted = nets(&["10.0.0.0/8"]);
        let headers = forwarded(&["1.2.3.4, 203.0.113.7", "10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn garbage_or_no_header_leaves_the_last_trusted_hop() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
        let headers = forwarded(&["203.0.113.7, not-an-ip, 10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("10.0.0.2")
        );
        let ipv6 = forwarded(&["2001:db8::1"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &ipv6, &trusted),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn hops_with_ports_and_mapped_addresses_are_read_canonically() {
        let trusted = nets(&["10.0.0.0/8"]);
        let headers = forwarded(&["203.0.113.7:4711, [2001:db8::1]:443, 10.0.0.2:80"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("2001:db8::1")
        );
        let mapped = forwarded(&["::ffff:203.0.113.7"]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.1"), &mapped, &trusted),
            ip("203.0.113.7"),
            "a trusted proxy seen through a dual-stack socket is still trusted"
        );
    }
}
