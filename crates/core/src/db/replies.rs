//! Saved replies: a shared library of answers any agent inserts into a response, its
//! placeholders filled from the issue, the agent and the shop. Admins add, edit and delete
//! them; the database's grants say so, whoever asks.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};

use crate::domain::text::{ReplyBody, ReplyTitle};
use crate::error::{Error, FieldErrors};
use crate::sqlstate;

/// A saved reply as stored.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedReply {
    pub id: i64,
    pub title: String,
    /// The text with its placeholders, `{customer_name}` and the like.
    pub body: String,
    /// Who changed it last.
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A checked title and text, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyDraft {
    pub title: ReplyTitle,
    pub body: ReplyBody,
}

impl ReplyDraft {
    /// Both fields checked at once, each problem under its field (`title`, `body`).
    pub fn parse(title: &str, body: &str) -> Result<Self, Error> {
        let mut errors = FieldErrors::new();
        let title = ReplyTitle::parse(title).map_err(|e| errors.add("title", e));
        let body = ReplyBody::parse(body).map_err(|e| errors.add("body", e));
        match (title, body) {
            (Ok(title), Ok(body)) => Ok(Self { title, body }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// What a placeholder stands for, as the reply editor explains it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub token: &'static str,
    pub meaning: &'static str,
}

/// Every placeholder a saved reply may use.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        token: "{customer_name}",
        meaning: "the customer's name",
    },
    Placeholder {
        token: "{order_id}",
        meaning: "the order id",
    },
    Placeholder {
        token: "{issue_number}",
        meaning: "the issue number, #1042",
    },
    Placeholder {
        token: "{agent_name}",
        meaning: "your login",
    },
    Placeholder {
        token: "{status_link}",
        meaning: "a fresh link to the customer's status page",
    },
    Placeholder {
        token: "{shop_name}",
        meaning: "the shop's name",
    },
];

/// A saved reply filled in for one issue, and what could not be filled.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledReply {
    pub title: String,
    pub text: String,
    /// Placeholders left as typed, each with why: "{order_id}: this issue has no order id".
    pub unfilled: Vec<String>,
    /// What happened, for the agent: inserted, not sent, and what was left as typed.
    pub said: String,
}

pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<SavedReply>, Error> {
    Ok(sqlx::query_as!(
        SavedReply,
        "SELECT id, title, body, updated_by, updated_at FROM caredesk_saved_reply ORDER BY lower(title), id"
    )
    .fetch_all(db)
    .await?)
}

/// Adds a saved reply (admins only: the database refuses anyone else).
pub async fn add(db: impl PgExecutor<'_>, draft: &ReplyDraft) -> Result<SavedReply, Error> {
    sqlx::query_as!(
        SavedReply,
        "INSERT INTO caredesk_saved_reply (title, body) VALUES ($1, $2)
         RETURNING id, title, body, updated_by, updated_at",
        draft.title.as_str(),
        draft.body.as_str(),
    )
    .fetch_one(db)
    .await
    .map_err(title_taken)
}

/// Replaces a saved reply's title and text (admins only).
pub async fn update(
    db: impl PgExecutor<'_>,
    id: i64,
    draft: &ReplyDraft,
) -> Result<SavedReply, Error> {
    sqlx::query_as!(
        SavedReply,
        "UPDATE caredesk_saved_reply SET title = $2, body = $3 WHERE id = $1
         RETURNING id, title, body, updated_by, updated_at",
        id,
        draft.title.as_str(),
        draft.body.as_str(),
    )
    .fetch_optional(db)
    .await
    .map_err(title_taken)?
    .ok_or_else(gone)
}

/// Deletes a saved reply (admins only).
pub async fn delete(db: impl PgExecutor<'_>, id: i64) -> Result<(), Error> {
    sqlx::query_scalar!(
        "DELETE FROM caredesk_saved_reply WHERE id = $1 RETURNING id",
        id
    )
    .fetch_optional(db)
    .await?
    .map(|_| ())
    .ok_or_else(gone)
}

fn gone() -> Error {
    let mut errors = FieldErrors::new();
    errors.add(
        "reply",
        "This saved reply no longer exists (another admin may have deleted it).",
    );
    Error::Invalid(errors)
}

fn title_taken(error: sqlx::Error) -> Error {
    if sqlstate::is(&error, sqlstate::UNIQUE_VIOLATION) {
        let mut errors = FieldErrors::new();
        errors.add("title", "Another saved reply has this title.");
        return Error::Invalid(errors);
    }
    error.into()
}

/// Saved reply `reply_id` filled in for issue `issue_id` by the signed-in agent. A status
/// link is made only when the text asks for one.
pub async fn fill(
    db: &mut PgConnection,
    reply_id: i64,
    issue_id: i64,
) -> Result<FilledReply, Error> {
    let reply = sqlx::query!(
        "SELECT title, body FROM caredesk_saved_reply WHERE id = $1",
        reply_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(gone)?;
    let facts = sqlx::query!(
        r#"SELECT c.name, c.order_id, session_user::text AS "agent!",
                  (SELECT s.name FROM caredesk_shop s) AS "shop"
             FROM customer_care c WHERE c.id = $1"#,
        issue_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(Error::NotFound(issue_id))?;
    let link = if reply.body.contains("{status_link}") {
        sqlx::query_scalar!(r#"SELECT caredesk_status_link($1) AS "link""#, issue_id)
            .fetch_one(&mut *db)
            .await?
    } else {
        None
    };
    let order_id = facts.order_id;
    let issue_number = format!("#{issue_id}");
    let values: [(&str, Option<&str>); 6] = [
        ("{customer_name}", Some(&facts.name)),
        ("{order_id}", order_id.as_deref()),
        ("{issue_number}", Some(&issue_number)),
        ("{agent_name}", Some(&facts.agent)),
        ("{status_link}", link.as_deref()),
        ("{shop_name}", facts.shop.as_deref()),
    ];
    let (text, missing) = substitute(&reply.body, &values);
    let unfilled: Vec<String> = missing
        .into_iter()
        .map(|token| {
            let why = match token {
                "{order_id}" => "this issue has no order id",
                "{status_link}" => {
                    "the shop's public address is not configured (CAREDESK_PUBLIC_URL)"
                }
                _ => "not known",
            };
            format!("{token}: {why}")
        })
        .collect();
    let said = inserted_words(&reply.title, &unfilled);
    Ok(FilledReply {
        title: reply.title,
        text,
        unfilled,
        said,
    })
}

/// "Inserted “Refund” into the response (not sent yet)", and what was left as typed.
fn inserted_words(title: &str, unfilled: &[String]) -> String {
    let mut said = format!("Inserted “{title}” into the response (not sent yet)");
    if !unfilled.is_empty() {
        said.push_str("; left as typed: ");
        said.push_str(&unfilled.join("; "));
    }
    said
}

/// `body` with each placeholder replaced by its value in one pass (so a value that looks
/// like a placeholder stays as it is), and the placeholders without a value, left as typed.
fn substitute<'a>(body: &str, values: &[(&'a str, Option<&str>)]) -> (String, Vec<&'a str>) {
    let mut text = String::with_capacity(body.len());
    let mut missing = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        text.push_str(&rest[..start]);
        let tail = &rest[start..];
        match values.iter().find(|(token, _)| tail.starts_with(token)) {
            Some((token, value)) => {
                match value {
                    Some(value) => text.push_str(value),
                    None => {
                        text.push_str(token);
                        if !missing.contains(token) {
                            missing.push(*token);
                        }
                    }
                }
                rest = &tail[token.len()..];
            }
            None => {
                text.push('{');
                rest = &tail[1..];
            }
        }
    }
    text.push_str(rest);
    (text, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_unknown_braces_stay() {
        let values = [
            ("{customer_name}", Some("{order_id} Amina")),
            ("{order_id}", None),
            ("{issue_number}", Some("#7")),
        ];
        let (text, missing) = substitute(
            "Hello {customer_name}, about {issue_number} {order_id} {order_id} {unknown} {",
            &values,
        );
        assert_eq!(
            text,
            "Hello {order_id} Amina, about #7 {order_id} {order_id} {unknown} {"
        );
        assert_eq!(missing, ["{order_id}"]);
    }

    #[test]
    fn inserting_says_nothing_was_sent_and_what_was_left_as_typed() {
        assert_eq!(
            inserted_words("Refund", &[]),
            "Inserted “Refund” into the response (not sent yet)"
        );
        assert_eq!(
            inserted_words("Refund", &["{order_id}: this issue has no order id".into()]),
            "Inserted “Refund” into the response (not sent yet); left as typed: {order_id}: this issue has no order id"
        );
    }

    #[test]
    fn every_placeholder_is_listed_for_the_editor() {
        let tokens: Vec<&str> = PLACEHOLDERS.iter().map(|p| p.token).collect();
        assert_eq!(
            tokens,
            [
                "{customer_name}",
                "{order_id}",
                "{issue_number}",
                "{agent_name}",
                "{status_link}",
                "{shop_name}"
            ]
        );
    }

    #[test]
    fn a_draft_names_each_field_it_refuses() {
        let Err(Error::Invalid(errors)) = ReplyDraft::parse(" ", "") else {
            panic!("refused")
        };
        let text = errors.to_string();
        assert!(text.contains("title") && text.contains("body"), "{text}");
        let Err(Error::Invalid(errors)) = ReplyDraft::parse("Two\nlines", "Body") else {
            panic!("refused")
        };
        assert!(errors.to_string().contains("title"));
        assert!(ReplyDraft::parse("Refund on its way", "Hello {customer_name}").is_ok());
    }
}
