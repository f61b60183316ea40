//! How to reach the customer: name, email, phone (as typed and as E.164) and order number.

use std::str::FromStr;

use phonenumber::{Mode, country};
use serde::Serialize;

use super::text::refuse_control_chars;
use crate::i18n::Message;

pub const NAME_MAX_CHARS: usize = 255;
pub const EMAIL_MAX_CHARS: usize = 255;
pub const PHONE_MAX_CHARS: usize = 20;
pub const ORDER_ID_MAX_CHARS: usize = 100;

fn single_line(raw: &str, field: &'static str, max: usize) -> Result<String, Message> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(Message::new("field-too-long")
            .with("field", field)
            .with("max", max));
    }
    if text.contains(['\n', '\r', '\t']) {
        return Err(Message::new("field-one-line").with("field", field));
    }
    refuse_control_chars(text, field)?;
    Ok(text.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CustomerName(String);

/// Characters that take no space on screen (zero-width, direction marks, BOM): a name made
/// only of these would show as blank to the agent.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

impl CustomerName {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        let name = single_line(raw, "name", NAME_MAX_CHARS)?;
        if name.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            return Err(Message::new("name-missing"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        let email = single_line(raw, "email", EMAIL_MAX_CHARS)?;
        if email.is_empty() {
            return Err(Message::new("email-missing"));
        }
        let invalid = || Message::new("email-invalid").with("value", clip(&email));
        let parsed = email_address::EmailAddress::parse_with_options(
            &email,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        )
        .map_err(|_| invalid())?;
        // A reachable address has a dotted domain; "a@localhost" passes RFC 5322 but is no use.
        let domain = parsed.domain();
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// The country whose numbering plan applies to numbers typed without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRegion(country::Id);

impl PhoneRegion {
    /// Parses an ISO 3166 alpha-2 code such as "DE" or "us".
    pub fn parse(code: &str) -> Result<Self, String> {
        country::Id::from_str(&code.trim().to_ascii_uppercase())
            .map(Self)
            .map_err(|_| format!("\"{code}\" is not a known country code for phone numbers (use e.g. DE, GB, US)."))
    }

    pub fn country_code(self) -> u16 {
        phonenumber::metadata::DATABASE
            .by_id(self.0.as_ref())
            .map(|meta| meta.country_code())
            .unwrap_or_default()
    }
}

/// A phone number as the customer typed it, with its E.164 form for call/WhatsApp links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    raw: String,
    e164: String,
}

impl Phone {
    pub fn parse(raw: &str, region: PhoneRegion) -> Result<Self, Message> {
        let typed = single_line(raw, "phone", PHONE_MAX_CHARS)?;
        if typed.is_empty() {
            return Err(Message::new("phone-missing"));
        }
        let invalid = || {
            Message::new("phone-invalid")
                .with("value", typed.as_str())
                .with("code", region.country_code())
        };
        let number = phonenumber::parse(Some(region.0), &typed).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        let e164 = number.format().mode(Mode::E164).to_string();
        Ok(Self { raw: typed, e164 })
    }

    pub fn as_typed(&self) -> &str {
        &self.raw
    }

    /// `+4915123456789`
    pub fn e164(&self) -> &str {
        &self.e164
    }
}

/// The shop's order number the issue is about; optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OrderId(String);

impl OrderId {
    /// `Ok(None)` for an empty field: the order number is optional.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, Message> {
        let Some(raw) = raw else { return Ok(None) };
        let order = single_line(raw, "order_id", ORDER_ID_MAX_CHARS)?;
        Ok((!order.is_empty()).then_some(Self(order)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn de() -> PhoneRegion {
        PhoneRegion::parse("de").unwrap()
    }

    #[test]
    fn email_accepts_real_addresses_and_refuses_the_rest() {
        assert_eq!(
            Email::parse(" amina@example.com ").unwrap().as_str(),
            "amina@example.com"
        );
        assert!(Email::parse("first.last+tag@sub.example.co.uk").is_ok());
        for bad in [
            "",
            "amina",
            "amina@",
            "@example.com",
            "a b@example.com",
            "a@localhost",
            "Amina <a@example.com>",
            "a@@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(
            Email::parse(&format!("{}@example.com", "a".repeat(250)))
                .unwrap_err()
                .to_string()
                .contains("too long")
        );
    }

    #[test]
    fn phone_keeps_what_was_typed_and_normalises_to_e164() {
        let phone = Phone::parse("0151 23456789", de()).unwrap();
        assert_eq!(phone.as_typed(), "0151 23456789");
        assert_eq!(phone.e164(), "+4915123456789");
        let foreign = Phone::parse("+44 20 7946 0958", de()).unwrap();
        assert_eq!(foreign.e164(), "+442079460958");
    }

    #[test]
    fn phone_refuses_what_cannot_be_called() {
        for bad in [
            "",
            "12",
            "call me maybe",
            "+49 151 2345678901234567",
            "0000000",
        ] {
            assert!(
                Phone::parse(bad, de()).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn region_must_be_a_known_country() {
        assert!(PhoneRegion::parse("XX").is_err());
        assert_eq!(PhoneRegion::parse("de").unwrap().country_code(), 49);
    }

    #[test]
    fn name_is_required_single_line_and_bounded() {
        assert!(CustomerName::parse("  ").is_err());
        assert!(
            CustomerName::parse("\u{200B}\u{FEFF}\u{2060}").is_err(),
            "invisible only"
        );
        assert_eq!(
            CustomerName::parse("\u{202B}محمد\u{202C}")
                .unwrap()
                .as_str(),
            "\u{202B}محمد\u{202C}"
        );
        assert!(CustomerName::parse("Amina\nX").is_err());
        assert!(CustomerName::parse(&"n".repeat(256)).is_err());
        assert_eq!(
            CustomerName::parse(" Amina Yusuf ").unwrap().as_str(),
            "Amina Yusuf"
        );
    }

    #[test]
    fn order_id_is_optional() {
        assert_eq!(OrderId::parse_optional(None).unwrap(), None);
        assert_eq!(OrderId::parse_optional(Some("  ")).unwrap(), None);
        assert_eq!(
            OrderId::parse_optional(Some(" #A-1001 "))
                .unwrap()
                .unwrap()
                .as_str(),
            "#A-1001"
        );
        assert!(OrderId::parse_optional(Some(&"9".repeat(101))).is_err());
    }
}
