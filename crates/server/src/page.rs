//! Renders the public pages (the report form, an issue's status page, "not found") from
//! minijinja templates, autoescaped: customer text is always rendered as text. Every word
//! comes from core's catalogs through the templates' `t(id, …)`, in the page's language.

use std::collections::BTreeMap;

use caredesk_core::FieldErrors;
use caredesk_core::domain::{IssueType, Language, PhoneRegion, Priority, Status};
use caredesk_core::i18n::{Arg, render};
use caredesk_core::photos::PhotoLimits;
use caredesk_core::status::CustomerView;
use chrono::{DateTime, Utc};
use minijinja::value::{Kwargs, Serde};
use minijinja::{Environment, Error, ErrorKind, State, Value, context};
use serde::Serialize;

use crate::shop::{ShopProfile, ShopView};

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    (
        "customer_care.html",
        include_str!("../templates/customer_care.html"),
    ),
    ("status.html", include_str!("../templates/status.html")),
    (
        "not_found.html",
        include_str!("../templates/not_found.html"),
    ),
    ("email.txt", include_str!("../templates/email.txt")),
    ("email.html", include_str!("../templates/email.html")),
];

/// What an email to a customer says, before it is put in words.
#[derive(Debug, Serialize)]
pub struct EmailContent<'a> {
    /// "confirmation", "response" or "resolved".
    pub kind: &'static str,
    pub id: i64,
    pub name: &'a str,
    /// The issue type's label in the customer's language.
    pub issue_type: String,
    pub response: Option<&'a str>,
    /// The issue's status page, absolute.
    pub link: Option<String>,
}

/// An email in words: its subject and its two bodies.
#[derive(Debug, Clone)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the customer typed, echoed back into the form after a failed plain post.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormValues {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub order_id: String,
    pub issue_type: String,
    pub priority: String,
    pub description: String,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    icon: &'static str,
}

#[derive(Serialize)]
struct Limits {
    name: usize,
    email: usize,
    phone: usize,
    order_id: usize,
    description_min: usize,
    description_max: usize,
}

fn limits() -> Limits {
    use caredesk_core::domain::{contact_limits as l, text};
    Limits {
        name: l::NAME_MAX_CHARS,
        email: l::EMAIL_MAX_CHARS,
        phone: l::PHONE_MAX_CHARS,
        order_id: l::ORDER_ID_MAX_CHARS,
        description_min: text::DESCRIPTION_MIN_CHARS,
        description_max: text::DESCRIPTION_MAX_CHARS,
    }
}

/// A stored report, as the confirmation page shows it.
#[derive(Serialize)]
pub struct Confirmation {
    pub issue_id: i64,
    pub message: String,
    /// The issue's status page (a path on this site).
    pub status_path: String,
}

/// The status page's form state: what the customer typed and what was wrong with it, or
/// what just happened.
#[derive(Debug, Default, Serialize)]
pub struct StatusForm {
    pub message: String,
    pub message_error: Option<String>,
    /// Why the message's photos were refused (each file named).
    pub photos_error: Option<String>,
    pub comment: String,
    pub comment_error: Option<String>,
    /// "message" or "answer": what was just stored; "already": the question was answered before.
    pub done: Option<String>,
}

/// One line of the status page's timeline.
#[derive(Serialize)]
struct TimelineStep {
    text: String,
    /// "2 photos attached." for a report or message that brought some.
    photos: Option<String>,
    quote: Option<String>,
    at: DateTime<Utc>,
    age: String,
    by_customer: bool,
}

/// What the photo fields say and take, from the service's limits.
#[derive(Debug, Clone, Serialize)]
struct PhotoField {
    max_count: usize,
    max_mb: usize,
    /// The file picker's filter (what phones offer from the gallery or the camera).
    accept: &'static str,
}

pub struct PageRenderer {
    env: Environment<'static>,
    photos: PhotoField,
    shop: BTreeMap<Language, ShopView>,
    default_language: Language,
}

impl PageRenderer {
    /// Fails when a template does not parse or the profile's contacts give dead links.
    pub fn new(
        profile: &ShopProfile,
        region: PhoneRegion,
        photos: &PhotoLimits,
    ) -> Result<Self, String> {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).map_err(|e| e.to_string())?;
        }
        env.add_function("t", translate);
        let shop = profile
            .views(region)
            .map_err(|e| format!("shop profile: {e}"))?;
        Ok(Self {
            env,
            photos: PhotoField {
                max_count: photos.max_count,
                max_mb: photos.max_megabytes(),
                accept: "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif",
            },
            shop,
            default_language: profile.default_language(),
        })
    }

    /// The languages offered, the default first.
    pub fn languages(&self) -> Vec<Language> {
        let mut all: Vec<Language> = vec![self.default_language];
        all.extend(self.shop.keys().filter(|&&l| l != self.default_language));
        all
    }

    /// `language` if it is offered, else the shop's default.
    pub fn offered(&self, language: Language) -> Language {
        if self.shop.contains_key(&language) {
            language
        } else {
            self.default_language
        }
    }

    pub fn shop(&self, language: Language) -> &ShopView {
        &self.shop[&self.offered(language)]
    }

    pub fn form(
        &self,
        language: Language,
        form: &FormValues,
        errors: &FieldErrors,
        message: Option<&str>,
    ) -> Result<String, Error> {
        self.render_form(language, form, errors, message, None)
    }

    pub fn confirmation(
        &self,
        language: Language,
        confirmation: Confirmation,
    ) -> Result<String, Error> {
        self.render_form(
            language,
            &FormValues::default(),
            &FieldErrors::new(),
            None,
            Some(confirmation),
        )
    }

    fn render_form(
        &self,
        language: Language,
        form: &FormValues,
        errors: &FieldErrors,
        message: Option<&str>,
        confirmation: Option<Confirmation>,
    ) -> Result<String, Error> {
        let issue_types: Vec<Choice> = IssueType::ALL
            .iter()
            .map(|t| Choice {
                value: t.as_str(),
                label: t.label_in(language),
                icon: t.icon(),
            })
            .collect();
        let priorities: Vec<Choice> = Priority::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str(),
                label: p.label_in(language),
                icon: p.icon(),
            })
            .collect();
        self.env
            .get_template("customer_care.html")?
            .render(context! {
                issue_types => Value::from(Serde(issue_types)),
                priorities => Value::from(Serde(priorities)),
                form => Value::from(Serde(form)),
                errors => Value::from(Serde(errors.in_language(language))),
                message => message,
                confirmation => Value::from(Serde(confirmation)),
                limits => Value::from(Serde(limits())),
                photos => Value::from(Serde(&self.photos)),
                ..self.common(language, "/customer-care")
            })
    }

    /// An issue's page, in the issue's language unless the customer chose another.
    pub fn status(
        &self,
        language: Language,
        path: &str,
        view: &CustomerView,
        form: &StatusForm,
        now: DateTime<Utc>,
    ) -> Result<String, Error> {
        let steps: Vec<TimelineStep> = view
            .events
            .iter()
            .filter_map(|event| {
                let (id, quote, by_customer) = step_text(&event.step)?;
                Some(TimelineStep {
                    text: caredesk_core::i18n::text(language, id),
                    photos: photos_of(&event.step).map(|count| {
                        render(
                            language,
                            "step-photos",
                            &[("count", Arg::Number(count.into()))],
                        )
                    }),
                    quote,
                    at: event.at,
                    age: age(language, event.at, now),
                    by_customer,
                })
            })
            .collect();
        let responses: Vec<(String, &str)> = view
            .responses()
            .map(|(at, text)| (age(language, *at, now), text))
            .collect();
        self.env.get_template("status.html")?.render(context! {
                issue => context! {
                    id => view.id,
                    issue_type => view.issue_type.label_in(language),
                    issue_type_icon => view.issue_type.icon(),
                    status => view.status.as_str(),
                    status_label => view.status.label_in(language),
                    status_icon => view.status.icon(),
                    reported => age(language, view.created_at, now),
                    created_at => view.created_at.to_rfc3339(),
                    resolved => view.status == Status::Resolved,
                    satisfaction => Value::from(Serde(&view.satisfaction)),
                },
                responses => Value::from(Serde(responses)),
                steps => Value::from(Serde(steps)),
                form => Value::from(Serde(form)),
                photos => Value::from(Serde(&self.photos)),
                message_limits => context! {
                    min => caredesk_core::domain::text::DESCRIPTION_MIN_CHARS,
                    max => caredesk_core::domain::text::DESCRIPTION_MAX_CHARS,
                },
                ..self.common(language, path)
        })
    }

    /// An email to a customer in `language`, with the shop's signature and contacts.
    pub fn email(
        &self,
        language: Language,
        content: &EmailContent,
    ) -> Result<RenderedEmail, Error> {
        let language = self.offered(language);
        let subject = render(
            language,
            &format!("email-subject-{}", content.kind),
            &[("id", Arg::Number(content.id))],
        );
        let context = context! {
            email => Value::from(Serde(content)),
            subject => &subject,
            ..self.common(language, "/customer-care")
        };
        Ok(RenderedEmail {
            text: self.env.get_template("email.txt")?.render(&context)?,
            html: self.env.get_template("email.html")?.render(&context)?,
            subject,
        })
    }

    /// The one page for every link that opens nothing (unknown, malformed or expired).
    pub fn not_found(&self, language: Language, message: Option<&str>) -> Result<String, Error> {
        self.env.get_template("not_found.html")?.render(context! {
            message => message,
            ..self.common(language, "/customer-care")
        })
    }

    /// What every page has: the language, the shop, and the language switch.
    fn common(&self, language: Language, path: &str) -> Value {
        let language = self.offered(language);
        let switch: Vec<Value> = self
            .languages()
            .into_iter()
            .filter(|&l| l != language)
            .map(|l| {
                context! {
                    code => l.as_str(),
                    label => l.label(),
                    href => format!("{path}?lang={}", l.as_str()),
                }
            })
            .collect();
        context! {
            lang => language.as_str(),
            path => path,
            shop => Value::from(Serde(self.shop(language))),
            languages => switch,
        }
    }
}

/// `t(id, name=value, …)`: catalog message `id` in the page's language.
fn translate(state: &State, id: &str, args: Kwargs) -> Result<String, Error> {
    let language = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(|code| Language::parse(code).ok()))
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, "the page has no language"))?;
    let mut fluent_args: Vec<(&str, Arg)> = Vec::new();
    for name in args.args() {
        let value: Value = args.get(name)?;
        let arg = match value.as_i64() {
            Some(n) => Arg::Number(n),
            None => Arg::Text(value.to_string()),
        };
        fluent_args.push((name, arg));
    }
    args.assert_all_used()?;
    Ok(render(language, id, &fluent_args))
}

/// The catalog id of a timeline step, the customer's words it quotes, and whether the
/// customer did it. Steps that say nothing to the customer are left out.
fn step_text(step: &caredesk_core::status::Step) -> Option<(&'static str, Option<String>, bool)> {
    use caredesk_core::status::Step;
    Some(match step {
        Step::Created { .. } => ("step-created", None, true),
        Step::StatusChanged { to } => match to {
            Status::Open => ("step-status-open", None, false),
            Status::InProgress => ("step-status-in-progress", None, false),
            Status::Resolved => ("step-status-resolved", None, false),
        },
        Step::Responded { response: Some(_) } => ("step-responded", None, false),
        Step::Responded { response: None } => return None,
        Step::CustomerMessage { text, .. } => (
            "step-customer-message",
            Some(text.clone()).filter(|t| !t.trim().is_empty()),
            true,
        ),
        Step::Satisfaction { solved: true } => ("step-satisfaction-yes", None, true),
        Step::Satisfaction { solved: false } => ("step-satisfaction-no", None, true),
    })
}

fn photos_of(step: &caredesk_core::status::Step) -> Option<u32> {
    use caredesk_core::status::Step;
    match step {
        Step::Created { photos } | Step::CustomerMessage { photos, .. } if *photos > 0 => {
            Some(*photos)
        }
        _ => None,
    }
}

/// "3 hours ago", in `language`.
fn age(language: Language, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    let (id, n) = match minutes {
        0 => return caredesk_core::i18n::text(language, "age-now"),
        1..60 => ("age-minutes", minutes),
        60..1440 => ("age-hours", minutes / 60),
        _ => ("age-days", minutes / 1440),
    };
    render(language, id, &[("n", Arg::Number(n))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_said_in_the_customers_language() {
        let now = Utc::now();
        let ago = |minutes| now - chrono::Duration::minutes(minutes);
        assert_eq!(age(Language::En, ago(0), now), "just now");
        assert_eq!(age(Language::En, ago(1), now), "a minute ago");
        assert_eq!(age(Language::En, ago(150), now), "2 hours ago");
        assert_eq!(age(Language::De, ago(3 * 1440), now), "vor 3 Tagen");
        assert_eq!(age(Language::De, ago(60), now), "vor einer Stunde");
    }
}
