//! Free text written by customers and agents: the description and the response.

use serde::Serialize;

pub const DESCRIPTION_MIN_CHARS: usize = 10;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const RESPONSE_MAX_CHARS: usize = 10_000;

/// Refuses control characters other than line breaks and tabs: they are invisible to the
/// agent and have no place in a message.
pub(crate) fn refuse_control_chars(text: &str, what: &str) -> Result<(), String> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!(
            "{what} contains invisible control characters; please remove them."
        ));
    }
    Ok(())
}

/// The customer's own words about the problem, kept exactly as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Description(String);

impl Description {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err("Please describe the problem.".into());
        }
        if chars < DESCRIPTION_MIN_CHARS {
            return Err(format!(
                "Please describe the problem in a few more words (at least {DESCRIPTION_MIN_CHARS} characters)."
            ));
        }
        if chars > DESCRIPTION_MAX_CHARS {
            return Err(format!(
                "Please keep the description under {DESCRIPTION_MAX_CHARS} characters (it has {chars})."
            ));
        }
        refuse_control_chars(text, "The description")?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An agent's answer to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Response(String);

impl Response {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err("The response is empty.".into());
        }
        if chars > RESPONSE_MAX_CHARS {
            return Err(format!(
                "The response is too long ({chars} characters, at most {RESPONSE_MAX_CHARS})."
            ));
        }
        refuse_control_chars(text, "The response")?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_keeps_the_customers_words_trimmed() {
        let d =
            Description::parse("  The parcel never arrived.\nTracking says delivered.  ").unwrap();
        assert_eq!(
            d.as_str(),
            "The parcel never arrived.\nTracking says delivered."
        );
    }

    #[test]
    fn description_refuses_too_short_too_long_and_control_characters() {
        assert!(Description::parse("   ").unwrap_err().contains("describe"));
        assert!(
            Description::parse("help")
                .unwrap_err()
                .contains("at least 10")
        );
        assert!(
            Description::parse(&"x".repeat(5001))
                .unwrap_err()
                .contains("5000")
        );
        assert!(
            Description::parse("bad \u{0007} bell in text")
                .unwrap_err()
                .contains("control")
        );
        assert!(
            Description::parse(&"é".repeat(5000)).is_ok(),
            "limits count characters, not bytes"
        );
    }

    #[test]
    fn right_to_left_and_emoji_text_is_kept() {
        let text = "الطلب لم يصل بعد 📦 — עדיין לא הגיע";
        assert_eq!(Description::parse(text).unwrap().as_str(), text);
    }

    #[test]
    fn response_must_not_be_empty_or_huge() {
        assert!(Response::parse(" \n ").is_err());
        assert!(Response::parse(&"a".repeat(10_001)).is_err());
        assert_eq!(
            Response::parse(" Refund sent. ").unwrap().as_str(),
            "Refund sent."
        );
    }
}
