//! Renders the public customer-care page (a minijinja template, autoescaped: customer text
//! is always rendered as text).

use caredesk_core::FieldErrors;
use caredesk_core::domain::{IssueType, PhoneRegion, Priority};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use crate::shop::{ShopProfile, ShopView};

const TEMPLATE_NAME: &str = "customer_care.html";
const TEMPLATE: &str = include_str!("../templates/customer_care.html");

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
    label: &'static str,
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

#[derive(Serialize)]
struct Confirmation {
    issue_id: i64,
    message: String,
}

pub struct PageRenderer {
    env: Environment<'static>,
    shop: ShopView,
}

impl PageRenderer {
    /// Fails when the template does not parse or the profile's contacts give dead links.
    pub fn new(profile: &ShopProfile, region: PhoneRegion) -> Result<Self, String> {
        let mut env = Environment::new();
        env.add_template(TEMPLATE_NAME, TEMPLATE)
            .map_err(|e| e.to_string())?;
        let shop = profile
            .page_view(region)
            .map_err(|e| format!("shop profile: {e}"))?;
        Ok(Self { env, shop })
    }

    pub fn response_hours(&self) -> u32 {
        self.shop.response_hours
    }

    pub fn form(
        &self,
        form: &FormValues,
        errors: &FieldErrors,
        message: Option<&str>,
    ) -> Result<String, minijinja::Error> {
        self.render(form, errors, message, None)
    }

    pub fn confirmation(&self, issue_id: i64, message: String) -> Result<String, minijinja::Error> {
        let confirmation = Confirmation { issue_id, message };
        self.render(
            &FormValues::default(),
            &FieldErrors::new(),
            None,
            Some(confirmation),
        )
    }

    fn render(
        &self,
        form: &FormValues,
        errors: &FieldErrors,
        message: Option<&str>,
        confirmation: Option<Confirmation>,
    ) -> Result<String, minijinja::Error> {
        use caredesk_core::domain::{contact_limits as l, text};
        let choices = |all: &[(&'static str, &'static str, &'static str)]| {
            all.iter()
                .map(|&(value, label, icon)| Choice { value, label, icon })
                .collect::<Vec<_>>()
        };
        let issue_types: Vec<_> = IssueType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label(), t.icon()))
            .collect();
        let priorities: Vec<_> = Priority::ALL
            .iter()
            .map(|p| (p.as_str(), p.label(), p.icon()))
            .collect();
        let limits = Limits {
            name: l::NAME_MAX_CHARS,
            email: l::EMAIL_MAX_CHARS,
            phone: l::PHONE_MAX_CHARS,
            order_id: l::ORDER_ID_MAX_CHARS,
            description_min: text::DESCRIPTION_MIN_CHARS,
            description_max: text::DESCRIPTION_MAX_CHARS,
        };
        self.env.get_template(TEMPLATE_NAME)?.render(context! {
            shop => Value::from(Serde(&self.shop)),
            issue_types => Value::from(Serde(choices(&issue_types))),
            priorities => Value::from(Serde(choices(&priorities))),
            form => Value::from(Serde(form)),
            errors => Value::from(Serde(errors)),
            message => message,
            confirmation => Value::from(Serde(confirmation)),
            limits => Value::from(Serde(limits)),
        })
    }
}
