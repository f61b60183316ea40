//! A customer's report as it arrives (raw text, any field possibly missing) and the
//! validated `NewIssue` it becomes. Every field is checked, so the customer sees all their
//! mistakes at once.

use serde::Deserialize;

use crate::domain::{
    CustomerName, Description, Email, IssueType, Language, OrderId, Phone, PhoneRegion, Priority,
};
use crate::error::{Error, FieldErrors};
use crate::i18n::Message;

/// The fields of the report form, unparsed. `None` is a missing field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportForm {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub order_id: Option<String>,
    pub issue_type: Option<String>,
    pub description: Option<String>,
    pub priority: Option<String>,
    /// The customer's language (`en`, `de`); the page's, when left out.
    pub language: Option<String>,
}

/// The hidden form field people never fill in and naive bots do.
pub const HONEYPOT_FIELD: &str = "website";

/// A JSON report body, read field by field: a wrongly typed field becomes that field's error
/// next to the others instead of one opaque parse failure. Unknown fields are ignored.
#[derive(Debug, Clone, Default)]
pub struct JsonReport {
    pub form: ReportForm,
    /// The honeypot field's value.
    pub honeypot: Option<String>,
    /// Fields that were present but not text.
    pub type_errors: FieldErrors,
}

impl JsonReport {
    /// Err (a sentence for the client) when the body is not a JSON object at all.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(object) = value else {
            return Err("expected a JSON object with the report's fields".into());
        };
        let mut type_errors = FieldErrors::new();
        let mut text = |field: &str| match object.get(field) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(text)) => Some(text.clone()),
            Some(_) => {
                type_errors.add(field, Message::new("expected-text"));
                None
            }
        };
        let form = ReportForm {
            name: text("name"),
            email: text("email"),
            phone: text("phone"),
            order_id: text("order_id"),
            issue_type: text("issue_type"),
            description: text("description"),
            priority: text("priority"),
            language: text("language"),
        };
        let honeypot = text(HONEYPOT_FIELD);
        Ok(Self {
            form,
            honeypot,
            type_errors,
        })
    }
}

/// A report that passed validation; the only thing `db::issues::add` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIssue {
    pub name: CustomerName,
    pub email: Email,
    pub phone: Phone,
    pub order_id: Option<OrderId>,
    pub issue_type: IssueType,
    pub description: Description,
    pub priority: Priority,
    pub language: Language,
}

impl NewIssue {
    /// Validates every field; on failure the error names each field's problems.
    pub fn parse(form: &ReportForm, region: PhoneRegion) -> Result<Self, Error> {
        let mut errors = FieldErrors::new();
        let text = |value: &Option<String>| value.as_deref().unwrap_or_default().to_owned();

        let name = errors.check("name", CustomerName::parse(&text(&form.name)));
        let email = errors.check("email", Email::parse(&text(&form.email)));
        let phone = errors.check("phone", Phone::parse(&text(&form.phone), region));
        let order_id = errors.check(
            "order_id",
            OrderId::parse_optional(form.order_id.as_deref()),
        );
        let issue_type = match form.issue_type.as_deref().map(str::trim) {
            None | Some("") => {
                errors.add("issue_type", Message::new("issue-type-missing"));
                None
            }
            Some(raw) => errors.check("issue_type", IssueType::parse(raw)),
        };
        let description = errors.check("description", Description::parse(&text(&form.description)));
        let priority = match form.priority.as_deref().map(str::trim) {
            None | Some("") => Some(Priority::default()),
            Some(raw) => errors.check("priority", Priority::parse(raw)),
        };
        let language = match form.language.as_deref().map(str::trim) {
            None | Some("") => Some(Language::default()),
            Some(raw) => errors.check("language", Language::parse(raw)),
        };

        match (
            name,
            email,
            phone,
            order_id,
            issue_type,
            description,
            priority,
            language,
        ) {
            (
                Some(name),
                Some(email),
                Some(phone),
                Some(order_id),
                Some(issue_type),
                Some(description),
                Some(priority),
                Some(language),
            ) if errors.is_empty() => Ok(NewIssue {
                name,
                email,
                phone,
                order_id,
                issue_type,
                description,
                priority,
                language,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ReportForm {
        ReportForm {
            name: Some("Amina Yusuf".into()),
            email: Some("amina@example.com".into()),
            phone: Some("0151 23456789".into()),
            order_id: Some("A-1001".into()),
            issue_type: Some("not_received".into()),
            description: Some("My parcel has not arrived after two weeks.".into()),
            priority: None,
            language: None,
        }
    }

    fn de() -> PhoneRegion {
        PhoneRegion::parse("DE").unwrap()
    }

    #[test]
    fn a_complete_report_parses_with_normal_priority_by_default() {
        let issue = NewIssue::parse(&valid(), de()).unwrap();
        assert_eq!(issue.priority, Priority::Normal);
        assert_eq!(issue.issue_type, IssueType::NotReceived);
        assert_eq!(issue.phone.e164(), "+4915123456789");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = ReportForm {
            name: None,
            email: Some("nope".into()),
            phone: Some("12".into()),
            order_id: Some("x".repeat(101)),
            issue_type: Some("broken".into()),
            description: Some("short".into()),
            priority: Some("asap".into()),
            language: None,
        };
        let Err(Error::Invalid(errors)) = NewIssue::parse(&form, de()) else {
            panic!("must be invalid")
        };
        let fields: Vec<&str> = errors.fields().collect();
        assert_eq!(
            fields,
            [
                "description",
                "email",
                "issue_type",
                "name",
                "order_id",
                "phone",
                "priority"
            ]
        );
        assert!(
            errors.get("issue_type").unwrap()[0]
                .to_string()
                .contains("not_received"),
            "lists the accepted values"
        );
    }

    #[test]
    fn json_bodies_are_read_field_by_field() {
        let read = JsonReport::parse(
            br#"{"name": 5, "email": ["a"], "phone": "1", "website": "x", "extra": 1}"#,
        )
        .unwrap();
        assert_eq!(
            read.type_errors.fields().collect::<Vec<_>>(),
            ["email", "name"]
        );
        assert_eq!(read.form.phone.as_deref(), Some("1"));
        assert_eq!(read.honeypot.as_deref(), Some("x"));
        for body in [&b"[1,2]"[..], b"\"text\"", b"{\"name\": ", b"\xff\xfe", b""] {
            assert!(JsonReport::parse(body).is_err(), "{body:?}");
        }
        assert!(
            JsonReport::parse("[".repeat(10_000).as_bytes()).is_err(),
            "deep nesting is refused"
        );
    }

    #[test]
    fn a_missing_issue_type_asks_for_one() {
        let form = ReportForm {
            issue_type: None,
            ..valid()
        };
        let Err(Error::Invalid(errors)) = NewIssue::parse(&form, de()) else {
            panic!("must be invalid")
        };
        assert_eq!(
            errors.in_language(Language::En)["issue_type"],
            ["Please choose what the problem is about."]
        );
        assert_eq!(
            errors.in_language(Language::De)["issue_type"],
            ["Bitte wählen Sie, worum es geht."]
        );
    }
}
