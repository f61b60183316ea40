//! Free text written by customers and agents: the description, the response, the note.

use serde::Serialize;

use crate::i18n::Message;

pub const DESCRIPTION_MIN_CHARS: usize = 10;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const RESPONSE_MAX_CHARS: usize = 10_000;

/// Refuses control characters other than line breaks and tabs: they are invisible to the
/// agent and have no place in a message.
pub(crate) fn refuse_control_chars(text: &str, field: &'static str) -> Result<(), Message> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Message::new("field-control-chars").with("field", field));
    }
    Ok(())
}

/// Free text of `min..=max` characters (trimmed); `kind` names its messages
/// (`<kind>-missing`, `<kind>-too-short`, `<kind>-too-long`) and its field.
fn free_text(
    raw: &str,
    kind: &'static str,
    messages: [&'static str; 3],
    min: usize,
    max: usize,
) -> Result<String, Message> {
    let [missing, too_short, too_long] = messages;
    let text = raw.trim();
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Message::new(missing));
    }
    if chars < min {
        return Err(Message::new(too_short).with("min", min));
    }
    if chars > max {
        return Err(Message::new(too_long).with("max", max).with("chars", chars));
    }
    refuse_control_chars(text, kind)?;
    Ok(text.to_owned())
}

/// The customer's own words about the problem, kept exactly as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Description(String);

impl Description {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "description",
            [
                "description-missing",
                "description-too-short",
                "description-too-long",
            ],
            DESCRIPTION_MIN_CHARS,
            DESCRIPTION_MAX_CHARS,
        )
        .map(Self)
    }

    /// A customer's later message on their issue's page: the same limits as a report's
    /// description, in words about a message.
    pub fn parse_message(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "message",
            ["message-missing", "message-too-short", "message-too-long"],
            DESCRIPTION_MIN_CHARS,
            DESCRIPTION_MAX_CHARS,
        )
        .map(Self)
    }

    /// The customer's optional comment with their "Did this solve your problem?" answer:
    /// nothing, or up to a description's length.
    pub fn parse_comment(raw: &str) -> Result<Option<Self>, Message> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Ok(None);
        }
        if chars > DESCRIPTION_MAX_CHARS {
            return Err(Message::new("comment-too-long")
                .with("max", DESCRIPTION_MAX_CHARS)
                .with("chars", chars));
        }
        refuse_control_chars(text, "comment")?;
        Ok(Some(Self(text.to_owned())))
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
    pub fn parse(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "response",
            ["response-missing", "response-missing", "response-too-long"],
            1,
            RESPONSE_MAX_CHARS,
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An agent's internal note on an issue: only agents read it. The response's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Note(String);

impl Note {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "note",
            ["note-missing", "note-missing", "note-too-long"],
            1,
            RESPONSE_MAX_CHARS,
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The most characters a saved reply's title may have.
pub const REPLY_TITLE_MAX_CHARS: usize = 100;

/// A saved reply's title: what an agent types after `#` to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ReplyTitle(String);

impl ReplyTitle {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "title",
            [
                "reply-title-missing",
                "reply-title-missing",
                "reply-title-too-long",
            ],
            1,
            REPLY_TITLE_MAX_CHARS,
        )
        .and_then(|title| {
            if title.contains(['\n', '\r', '\t']) {
                Err(Message::new("reply-title-one-line"))
            } else {
                Ok(Self(title))
            }
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A saved reply's text, placeholders and all: a response's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ReplyBody(String);

impl ReplyBody {
    pub fn parse(raw: &str) -> Result<Self, Message> {
        free_text(
            raw,
            "text",
            [
                "reply-body-missing",
                "reply-body-missing",
                "reply-body-too-long",
            ],
            1,
            RESPONSE_MAX_CHARS,
        )
        .map(Self)
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
        assert!(
            Description::parse("   ")
                .unwrap_err()
                .to_string()
                .contains("describe")
        );
        assert!(
            Description::parse("help")
                .unwrap_err()
                .to_string()
                .contains("at least 10")
        );
        assert!(
            Description::parse(&"x".repeat(5001))
                .unwrap_err()
                .to_string()
                .contains("5000")
        );
        assert!(
            Description::parse("bad \u{0007} bell in text")
                .unwrap_err()
                .to_string()
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

    #[test]
    fn a_note_has_the_responses_limits() {
        assert!(Note::parse("  ").unwrap_err().to_string().contains("empty"));
        assert!(
            Note::parse(&"a".repeat(RESPONSE_MAX_CHARS + 1))
                .unwrap_err()
                .to_string()
                .contains("10000")
        );
        assert!(Note::parse(&"a".repeat(RESPONSE_MAX_CHARS)).is_ok());
        assert_eq!(
            Note::parse(" Called the courier. ").unwrap().as_str(),
            "Called the courier."
        );
    }
}
