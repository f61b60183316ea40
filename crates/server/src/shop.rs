//! The shop's public profile shown on the customer-care page: name, support channels,
//! opening hours and FAQ. It comes from a TOML file (`CAREDESK_SHOP_PROFILE`); without one,
//! the built-in example profile is used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caredesk_core::domain::links::OrderLink;
use caredesk_core::domain::links::{mailto_href, tel_href, whatsapp_href};
use caredesk_core::domain::{Email, Language, Phone, PhoneRegion};
use caredesk_core::i18n::{Message, render};
use caredesk_core::promise::{Promise, PromiseSettings};
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
    /// How emails end; "The <name> customer care team" in the customer's language when absent.
    #[serde(default)]
    pub signature: Option<String>,
    /// The languages offered to customers, the default first.
    #[serde(default = "every_language")]
    pub languages: Vec<Language>,
    /// The texts above in other languages (`[translations.de]`); what is left out is shown
    /// as written above.
    #[serde(default)]
    pub translations: BTreeMap<Language, Translation>,
    /// How the response promise is timed (`[promise]`): shorter promises for high and
    /// urgent reports, clock or opening hours, the time zone, the week and the holidays.
    /// `caredesk-server migrate` gives it to the database, which computes due times.
    #[serde(default)]
    pub promise: PromiseSettings,
    /// The shop's own page for an order, `{order_id}` where the id goes
    /// (`https://shop.example/admin/orders/{order_id}`): the desktop opens it from the
    /// detail. https only (http on localhost); checked when the profile loads.
    #[serde(default)]
    pub order_link: Option<String>,
}

fn every_language() -> Vec<Language> {
    Language::ALL.to_vec()
}

/// The profile's own texts in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub tagline: Option<String>,
    pub whatsapp_greeting: Option<String>,
    pub signature: Option<String>,
    pub hours: Option<Vec<OpeningHours>>,
    pub faq: Option<Vec<Faq>>,
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
        let profile: Self = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
        profile.check_languages().map_err(fail)?;
        profile.promise().map_err(fail)?;
        profile.order_link().map_err(fail)?;
        Ok(profile)
    }

    /// At least one language, none twice, and translations only into offered ones.
    fn check_languages(&self) -> Result<(), String> {
        if self.languages.is_empty() {
            return Err("languages: offer at least one language".into());
        }
        for (i, language) in self.languages.iter().enumerate() {
            if self.languages[..i].contains(language) {
                return Err(format!("languages: \"{language}\" is listed twice"));
            }
        }
        if let Some(other) = self
            .translations
            .keys()
            .find(|l| !self.languages.contains(l))
        {
            return Err(format!(
                "translations.{other}: \"{other}\" is not among the offered languages"
            ));
        }
        Ok(())
    }

    /// The order page template, checked.
    pub fn order_link(&self) -> Result<Option<OrderLink>, String> {
        self.order_link
            .as_deref()
            .map(|template| {
                OrderLink::parse(template).map_err(|reason| format!("order_link: {reason}"))
            })
            .transpose()
    }

    /// The response promise the database times issues by.
    pub fn promise(&self) -> Result<Promise, String> {
        self.promise.promise(self.response_hours)
    }

    /// The language customers get when nothing says otherwise.
    pub fn default_language(&self) -> Language {
        self.languages.first().copied().unwrap_or_default()
    }

    /// What the pages and emails show in `language`, with working links; refuses contacts
    /// that would give dead links.
    pub fn view(&self, region: PhoneRegion, language: Language) -> Result<ShopView, String> {
        let phone = Phone::parse(&self.phone, region).map_err(|e| format!("phone: {e}"))?;
        let whatsapp =
            Phone::parse(&self.whatsapp, region).map_err(|e| format!("whatsapp: {e}"))?;
        let email = Email::parse(&self.email).map_err(|e| format!("email: {e}"))?;
        let own = self
            .translations
            .get(&language)
            .cloned()
            .unwrap_or_default();
        let greeting = own
            .whatsapp_greeting
            .as_deref()
            .unwrap_or(&self.whatsapp_greeting);
        let signature = own
            .signature
            .or_else(|| self.signature.clone())
            .unwrap_or_else(|| {
                Message::new("email-signature")
                    .with("shop", self.name.as_str())
                    .in_language(language)
            });
        Ok(ShopView {
            name: self.name.clone(),
            tagline: own.tagline.unwrap_or_else(|| self.tagline.clone()),
            phone: Channel {
                display: self.phone.clone(),
                href: tel_href(phone.e164()),
            },
            whatsapp: Channel {
                display: self.whatsapp.clone(),
                href: whatsapp_href(whatsapp.e164(), greeting),
            },
            email: Channel {
                display: self.email.clone(),
                href: mailto_href(email.as_str(), "", ""),
            },
            hours: own.hours.unwrap_or_else(|| self.hours.clone()),
            faq: own.faq.unwrap_or_else(|| self.faq.clone()),
            response_hours: self.response_hours,
            promise: render(
                language,
                "promise",
                &[("hours", self.response_hours.into())],
            ),
            signature,
        })
    }

    /// [`ShopProfile::view`] in every offered language.
    pub fn views(&self, region: PhoneRegion) -> Result<BTreeMap<Language, ShopView>, String> {
        self.check_languages()?;
        self.languages
            .iter()
            .map(|&language| Ok((language, self.view(region, language)?)))
            .collect()
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
    /// "We answer within 24 hours.", in the view's language.
    pub promise: String,
    pub signature: String,
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
        let views = ShopProfile::default()
            .views(PhoneRegion::parse("DE").unwrap())
            .unwrap();
        for view in views.values() {
            assert!(view.phone.href.starts_with("tel:+"));
            assert!(view.whatsapp.href.starts_with("https://wa.me/"));
            assert!(view.email.href.starts_with("mailto:"));
            assert!(!view.faq.is_empty() && !view.hours.is_empty());
        }
        assert_eq!(views[&Language::En].promise, "We answer within 24 hours.");
        let german = &views[&Language::De];
        assert_eq!(german.promise, "Wir antworten innerhalb von 24 Stunden.");
        assert_ne!(
            german.faq[0].question,
            views[&Language::En].faq[0].question,
            "translated"
        );
    }

    #[test]
    fn languages_must_be_offered_once_and_translations_match_them() {
        let region = PhoneRegion::parse("DE").unwrap();
        let none = ShopProfile {
            languages: vec![],
            ..ShopProfile::default()
        };
        assert!(none.views(region).unwrap_err().contains("at least one"));
        let twice = ShopProfile {
            languages: vec![Language::De, Language::De],
            ..ShopProfile::default()
        };
        assert!(twice.views(region).unwrap_err().contains("twice"));
        let english_only = ShopProfile {
            languages: vec![Language::En],
            ..ShopProfile::default()
        };
        assert!(
            english_only
                .views(region)
                .unwrap_err()
                .contains("translations.de")
        );
    }

    #[test]
    fn the_example_promise_is_timed_in_the_shops_week() {
        let promise = ShopProfile::default().promise().unwrap();
        assert_eq!(promise.normal_hours, 24);
        assert!(promise.urgent_hours < promise.normal_hours);
        assert_eq!(promise.time_zone, "Europe/Berlin");
        assert!(!promise.week.is_empty() && !promise.holidays.is_empty());
    }

    #[test]
    fn a_profile_with_an_impossible_promise_is_refused_when_it_loads() {
        let dir = std::env::temp_dir().join(format!("caredesk-shop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shop.toml");
        let text = EXAMPLE_PROFILE.replace("urgent_hours = 4", "urgent_hours = 0");
        assert_ne!(text, EXAMPLE_PROFILE, "the example sets urgent_hours");
        std::fs::write(&path, text).unwrap();
        let error = ShopProfile::load(&path).unwrap_err().to_string();
        assert!(error.contains("promise.urgent_hours"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_profile_whose_order_link_could_lead_elsewhere_is_refused_when_it_loads() {
        let dir = std::env::temp_dir().join(format!("caredesk-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shop.toml");
        let example = "https://lumen-loom.example/admin/orders/{order_id}";
        assert!(
            EXAMPLE_PROFILE.contains(example),
            "the example gives an order link"
        );
        for bad in [
            "http://lumen-loom.example/{order_id}",
            "https://lumen-loom.example/orders",
        ] {
            std::fs::write(&path, EXAMPLE_PROFILE.replace(example, bad)).unwrap();
            let error = ShopProfile::load(&path).unwrap_err().to_string();
            assert!(error.contains("order_link"), "{bad}: {error}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
        let link = ShopProfile::default().order_link().unwrap().unwrap();
        assert_eq!(
            link.for_order("LL-2042"),
            "https://lumen-loom.example/admin/orders/LL-2042"
        );
    }

    #[test]
    fn a_profile_with_a_dead_phone_number_is_refused() {
        let profile = ShopProfile {
            phone: "call us".into(),
            ..ShopProfile::default()
        };
        assert!(
            profile
                .view(PhoneRegion::parse("US").unwrap(), Language::En)
                .unwrap_err()
                .starts_with("phone")
        );
    }
}
