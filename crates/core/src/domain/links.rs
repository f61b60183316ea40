//! Contact deep links: `tel:`, WhatsApp (`https://wa.me/…`) and `mailto:` (RFC 6068).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters is encoded, so spaces become `%20`
/// (never `+`, which mail clients would show literally) and line breaks `%0D%0A`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The characters an addr-spec may keep unencoded in a mailto URI (RFC 6068 section 2).
const ADDRESS: &AsciiSet = &COMPONENT
    .remove(b'@')
    .remove(b'+')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'*');

/// `tel:+4915123456789`
pub fn tel_href(e164: &str) -> String {
    format!("tel:{e164}")
}

/// `https://wa.me/4915123456789?text=…`; no text parameter for an empty greeting.
pub fn whatsapp_href(e164: &str, text: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    if text.is_empty() {
        format!("https://wa.me/{digits}")
    } else {
        format!(
            "https://wa.me/{digits}?text={}",
            utf8_percent_encode(text, COMPONENT)
        )
    }
}

/// `mailto:addr?subject=…&body=…`, with line breaks normalised to CRLF as RFC 6068 asks.
pub fn mailto_href(address: &str, subject: &str, body: &str) -> String {
    let mut href = format!("mailto:{}", utf8_percent_encode(address, ADDRESS));
    let mut separator = '?';
    for (key, value) in [("subject", subject), ("body", body)] {
        if value.is_empty() {
            continue;
        }
        let crlf = value.replace("\r\n", "\n").replace('\n', "\r\n");
        href.push_str(&format!(
            "{separator}{key}={}",
            utf8_percent_encode(&crlf, COMPONENT)
        ));
        separator = '&';
    }
    href
}

/// Where an order id goes in the shop's order link template.
pub const ORDER_ID_PLACEHOLDER: &str = "{order_id}";

/// The shop's own page for an order, from the profile's template such as
/// `https://shop.example/admin/orders/{order_id}`: https, or http on this computer only,
/// with the order id in the path or query (never in the host, which the customer would
/// then choose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLink(String);

impl OrderLink {
    pub fn parse(template: &str) -> Result<Self, String> {
        let template = template.trim();
        if !template.contains(ORDER_ID_PLACEHOLDER) {
            return Err(format!(
                "\"{template}\" has no {ORDER_ID_PLACEHOLDER}, where each order's id goes"
            ));
        }
        let probe = "caredeskorderid";
        let url = url::Url::parse(&template.replace(ORDER_ID_PLACEHOLDER, probe))
            .map_err(|e| format!("\"{template}\" is not a web address: {e}"))?;
        let host = url.host_str().unwrap_or_default();
        match url.scheme() {
            "https" => {}
            "http" if crate::db::is_this_computer(host) => {}
            _ => {
                return Err(format!(
                    "\"{template}\" must start with https:// (http:// only for localhost)"
                ));
            }
        }
        // the address's authority (user, host, port) ends at the first / ? or # after "://"
        let after_scheme = template.find("://").map_or(0, |at| at + 3);
        let authority_end = template[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(template.len(), |at| after_scheme + at);
        let in_authority = template[..authority_end].contains(ORDER_ID_PLACEHOLDER);
        if host.is_empty() || in_authority {
            return Err(format!(
                "\"{template}\" must name the shop's host; the order id goes in the path or query"
            ));
        }
        Ok(Self(template.to_owned()))
    }

    /// The page of one order, its id URL-encoded into the template.
    pub fn for_order(&self, order_id: &str) -> String {
        self.0.replace(
            ORDER_ID_PLACEHOLDER,
            &utf8_percent_encode(order_id.trim(), COMPONENT).to_string(),
        )
    }

    pub fn template(&self) -> &str {
        &self.0
    }
}

/// The three ways to reach the customer of an issue, ready to open.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ContactLinks {
    pub call: String,
    pub whatsapp: String,
    pub email: String,
}

impl ContactLinks {
    /// WhatsApp opens with a greeting naming the issue; the email carries `body` (the
    /// agent's draft, or the response already sent).
    pub fn for_issue(issue: &crate::db::Issue, body: &str) -> Self {
        let label = issue.issue_type.label();
        let greeting = format!(
            "Hello {}, this is customer care about your issue #{} ({label}).",
            issue.name, issue.id
        );
        Self {
            call: tel_href(&issue.phone_e164),
            whatsapp: whatsapp_href(&issue.phone_e164, &greeting),
            email: mailto_href(
                &issue.email,
                &format!("Your issue #{}: {label}", issue.id),
                body,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_id_is_url_encoded_into_the_shops_template() {
        let link =
            OrderLink::parse(" https://shop.example/admin/orders/{order_id}?tab=items ").unwrap();
        assert_eq!(
            link.for_order("LL 42/7&x=<b>"),
            "https://shop.example/admin/orders/LL%2042%2F7%26x%3D%3Cb%3E?tab=items"
        );
        let local = OrderLink::parse("http://localhost:8000/orders?id={order_id}").unwrap();
        assert_eq!(
            local.for_order("A-1"),
            "http://localhost:8000/orders?id=A-1"
        );
    }

    #[test]
    fn an_order_link_template_that_could_lead_elsewhere_is_refused() {
        for (template, why) in [
            ("http://shop.example/orders/{order_id}", "https://"),
            ("javascript:alert({order_id})", "https://"),
            ("file:///etc/{order_id}", "https://"),
            ("https://shop.example/orders/", "{order_id}"),
            ("https://{order_id}.shop.example/", "host"),
            ("https://shop.example:{order_id}/", "web address"),
            ("https://user{order_id}@shop.example/", "host"),
            ("orders/{order_id}", "web address"),
        ] {
            let error = OrderLink::parse(template).unwrap_err();
            assert!(error.contains(why), "{template}: {error}");
        }
    }

    #[test]
    fn tel_uses_the_e164_form() {
        assert_eq!(tel_href("+4915123456789"), "tel:+4915123456789");
    }

    #[test]
    fn whatsapp_drops_the_plus_and_encodes_the_greeting() {
        assert_eq!(
            whatsapp_href("+4915123456789", ""),
            "https://wa.me/4915123456789"
        );
        assert_eq!(
            whatsapp_href("+4915123456789", "Hallo Jürgen, issue #7 & more?"),
            "https://wa.me/4915123456789?text=Hallo%20J%C3%BCrgen%2C%20issue%20%237%20%26%20more%3F"
        );
    }

    #[test]
    fn mailto_encodes_fields_per_rfc_6068() {
        assert_eq!(
            mailto_href(
                "amina+shop@example.com",
                "Your issue #7",
                "Hello,\nrefund sent & done."
            ),
            "mailto:amina+shop@example.com?subject=Your%20issue%20%237&body=Hello%2C%0D%0Arefund%20sent%20%26%20done."
        );
        assert_eq!(mailto_href("a@example.com", "", ""), "mailto:a@example.com");
        assert_eq!(
            mailto_href("a@example.com", "", "hi"),
            "mailto:a@example.com?body=hi"
        );
        assert_eq!(
            mailto_href("odd?addr@example.com", "", ""),
            "mailto:odd%3Faddr@example.com"
        );
    }
}
