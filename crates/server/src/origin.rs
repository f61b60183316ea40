//! Who may send a report from a browser: pages of this service, and the shop's own sites
//! listed in CAREDESK_ALLOWED_ORIGINS. A post from any other site would come from the
//! visitor's own address (so the per-address limit could not stop it) and is refused;
//! the JSON API answers CORS for exactly the listed sites, so a shop can embed the form.
//! A request that carries neither `Origin` nor `Sec-Fetch-Site` did not come from a
//! browser page of another site (a script, an old browser) and is let through.

use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderValue};

/// The shop's sites (scheme, host and port, as browsers send them in `Origin`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedOrigins(Vec<String>);

impl AllowedOrigins {
    /// Parses a comma-separated list of origins like `https://shop.example`.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut origins = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let origin = entry.trim_end_matches('/');
            let valid = url::Url::parse(origin).is_ok_and(|url| {
                matches!(url.scheme(), "https" | "http")
                    && url.host_str().is_some()
                    && url.path() == "/"
                    && url.query().is_none()
            });
            if !valid {
                return Err(format!(
                    "\"{entry}\" is not an origin such as https://shop.example"
                ));
            }
            origins.push(origin.to_ascii_lowercase());
        }
        Ok(Self(origins))
    }

    pub fn contains(&self, origin: &str) -> bool {
        self.0
            .iter()
            .any(|allowed| allowed == &origin.to_ascii_lowercase())
    }

    /// For the CORS layer.
    pub fn header_values(&self) -> Vec<HeaderValue> {
        self.0
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect()
    }

    /// The CSP `frame-ancestors` sources: the shop's sites, or `'none'`.
    pub fn frame_ancestors(&self) -> String {
        if self.0.is_empty() {
            "'none'".to_owned()
        } else {
            self.0.join(" ")
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether a request that would store a report may do so.
pub fn may_post(headers: &HeaderMap, allowed: &AllowedOrigins) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = text(ORIGIN.as_str());
    if origin.is_some_and(|o| allowed.contains(o)) {
        return true;
    }
    // browsers say where a request comes from; "none" is the visitor's own doing
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match origin {
        None => true,
        Some(origin) => same_host(origin, text(HOST.as_str())),
    }
}

/// Whether `origin` names the host the request was sent to.
fn same_host(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host else { return false };
    url::Url::parse(origin).is_ok_and(|url| {
        let named = match (url.host_str(), url.port()) {
            (Some(name), Some(port)) => format!("{name}:{port}"),
            (Some(name), None) => name.to_owned(),
            _ => return false,
        };
        named.eq_ignore_ascii_case(host)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    fn shop() -> AllowedOrigins {
        AllowedOrigins::parse("https://shop.example, https://www.shop.example/").unwrap()
    }

    #[test]
    fn the_service_itself_and_the_shops_sites_may_post() {
        assert!(may_post(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &shop()
        ));
        assert!(may_post(
            &headers(&[
                ("origin", "http://care.example:8080"),
                ("host", "care.example:8080")
            ]),
            &shop()
        ));
        assert!(may_post(
            &headers(&[
                ("origin", "https://shop.example"),
                ("sec-fetch-site", "cross-site")
            ]),
            &shop()
        ));
        assert!(
            may_post(&headers(&[]), &shop()),
            "no browser page behind it"
        );
    }

    #[test]
    fn other_sites_may_not() {
        assert!(!may_post(
            &headers(&[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site")
            ]),
            &shop()
        ));
        assert!(!may_post(
            &headers(&[("sec-fetch-site", "same-site")]),
            &shop()
        ));
        assert!(!may_post(
            &headers(&[("origin", "https://evil.example"), ("host", "care.example")]),
            &shop()
        ));
        assert!(!may_post(
            &headers(&[("origin", "null"), ("host", "care.example")]),
            &shop()
        ));
        assert!(!may_post(
            &headers(&[("origin", "https://evil.example")]),
            &AllowedOrigins::default()
        ));
    }

    #[test]
    fn origins_must_be_origins() {
        assert!(AllowedOrigins::parse("https://shop.example/checkout").is_err());
        assert!(AllowedOrigins::parse("ftp://shop.example").is_err());
        assert!(AllowedOrigins::parse("shop.example").is_err());
        assert!(AllowedOrigins::parse("").unwrap().is_empty());
    }
}
