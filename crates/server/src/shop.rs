//! The shop's public profile shown on the customer-care page: name, support channels,
//! opening hours and FAQ. It comes from a TOML file (`CAREDESK_SHOP_PROFILE`); without one,
//! the built-in example profile is used.

use std::path::{Path, PathBuf};

use caredesk_core::domain::links::{mailto_href, tel_href, whatsapp_href};
use caredesk_core::domain::{Email, Phone, PhoneRegion};
use serde::{Deserialize, Serialize};

/// A profile file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the shop profile {}: {reason}", .path.display())]
pub struct ShopProfileError {
    pub path: PathBuf,
    pub reason: String,
}

/// The example profile, also the template for a shop's own (`config/shop.example.toml`).
const EXAMPLE_PROFILE: &str = include_str!("../../../config/shop.example.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopProfile {
    pub name: String,
    pub tagline: String,
    /// The shop's phone number, with country code.
    pub phone: String,
    pub whatsapp: String,
    pub whatsapp_greeting: String,
    pub email: String,
    /// How soon the shop promises an answer.
    pub response_hours: u32,
    pub hours: Vec<OpeningHours>,
    pub faq: Vec<Faq>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    pub days: String,
    pub time: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

impl Default for ShopProfile {
    fn default() -> Self {
        // The example ships with the binary and is checked by a test, so this cannot fail.
        toml::from_str(EXAMPLE_PROFILE).expect("config/shop.example.toml is a valid profile")
    }
}

impl ShopProfile {
    pub fn load(path: &Path) -> Result<Self, ShopProfileError> {
        let fail = |reason: String| ShopProfileError {
            path: path.to_owned(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        toml::from_str(&text).map_err(|e| fail(e.to_string()))
    }

    /// What the page shows, with working links; refuses contacts that would give dead links.
    pub fn page_view(&self, region: PhoneRegion) -> Result<ShopView, String> {
        let phone = Phone::parse(&self.phone, region).map_err(|e| format!("phone: {e}"))?;
        let whatsapp =
            Phone::parse(&self.whatsapp, region).map_err(|e| format!("whatsapp: {e}"))?;
        let email = Email::parse(&self.email).map_err(|e| format!("email: {e}"))?;
        Ok(ShopView {
            name: self.name.clone(),
            tagline: self.tagline.clone(),
            phone: Channel {
                display: self.phone.clone(),
                href: tel_href(phone.e164()),
            },
            whatsapp: Channel {
                display: self.whatsapp.clone(),
                href: whatsapp_href(whatsapp.e164(), &self.whatsapp_greeting),
            },
            email: Channel {
                display: self.email.clone(),
                href: mailto_href(email.as_str(), "", ""),
            },
            hours: self.hours.clone(),
            faq: self.faq.clone(),
            response_hours: self.response_hours,
        })
    }
}

/// The template's `shop`.
#[derive(Debug, Clone, Serialize)]
pub struct ShopView {
    pub name: String,
    pub tagline: String,
    pub phone: Channel,
    pub whatsapp: Channel,
    pub email: Channel,
    pub hours: Vec<OpeningHours>,
    pub faq: Vec<Faq>,
    pub response_hours: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub display: String,
    pub href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_profile_gives_working_links() {
        let view = ShopProfile::default()
            .page_view(PhoneRegion::parse("DE").unwrap())
            .unwrap();
        assert!(view.phone.href.starts_with("tel:+"));
        assert!(view.whatsapp.href.starts_with("https://wa.me/"));
        assert!(view.email.href.starts_with("mailto:"));
        assert!(!view.faq.is_empty() && !view.hours.is_empty());
    }

    #[test]
    fn a_profile_with_a_dead_phone_number_is_refused() {
        let profile = ShopProfile {
            phone: "call us".into(),
            ..ShopProfile::default()
        };
        assert!(
            profile
                .page_view(PhoneRegion::parse("US").unwrap())
                .unwrap_err()
                .starts_with("phone")
        );
    }
}
