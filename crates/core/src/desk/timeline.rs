//! The timeline's events, typed: each kind the database's triggers write, with its detail,
//! and the sentence an agent reads for it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{IssueType, Priority, Status};

/// A contact field an agent changed (the timeline names the field, never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ContactField {
    Name,
    Email,
    Phone,
    OrderId,
}

impl ContactField {
    pub fn label(self) -> &'static str {
        match self {
            ContactField::Name => "name",
            ContactField::Email => "email",
            ContactField::Phone => "phone number",
            ContactField::OrderId => "order id",
        }
    }
}

/// What happened, as `kind` and `detail` columns of `customer_care_event`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Change {
    Created {
        issue_type: IssueType,
        priority: Priority,
        status: Status,
        /// The report's description, given only for an issue merged into the one whose
        /// timeline this is (its own description is the detail's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    PriorityChanged {
        from: Priority,
        to: Priority,
    },
    /// The text is dropped when the issue is deleted (a response may quote the customer).
    Responded {
        #[serde(default)]
        response: Option<String>,
    },
    ContactChanged {
        fields: Vec<ContactField>,
    },
    Deleted {
        issue_type: IssueType,
        priority: Priority,
        status: Status,
        created_at: DateTime<Utc>,
    },
    /// The customer wrote again, from the status page. The text is dropped when the issue
    /// is deleted.
    CustomerMessage {
        #[serde(default)]
        text: Option<String>,
    },
    /// The customer's answer to "Did this solve your problem?".
    Satisfaction {
        solved: bool,
        #[serde(default)]
        comment: Option<String>,
    },
    /// An email reached the customer's mail server.
    Emailed {
        email: EmailKind,
    },
    /// An email could not be delivered, for good.
    EmailFailed {
        email: EmailKind,
        #[serde(default)]
        error: Option<String>,
    },
    /// An agent's internal note: only agents ever see it (never the status page or an
    /// email). The text is dropped when the issue is deleted.
    Note {
        #[serde(default)]
        text: Option<String>,
    },
    /// The issue got another owner (`None`: nobody).
    Assigned {
        from: Option<String>,
        to: Option<String>,
    },
    /// The first response stopped the timer: within the promise (`late_seconds` 0), or so
    /// long after the due time.
    FirstResponse {
        due_at: Option<DateTime<Utc>>,
        late_seconds: i64,
    },
    /// The customer's data was erased on their request: the issue is gone, and this is
    /// what is left of it.
    Erased {
        issue_type: IssueType,
        priority: Priority,
        status: Status,
        created_at: DateTime<Utc>,
    },
    /// The issue was merged into `into` (on the merged issue's timeline, which the kept
    /// issue's includes).
    Merged {
        into: i64,
    },
    /// A kind or detail this version does not know (written by a newer one).
    Unrecognised {
        kind: String,
    },
}

impl Change {
    /// Reads a stored event; what does not parse is kept as `Unrecognised`, so one odd row
    /// cannot hide an issue's whole history.
    pub fn from_stored(kind: &str, detail: serde_json::Value) -> Self {
        let tagged = serde_json::json!({ "kind": kind, "detail": detail });
        match serde_json::from_value(tagged) {
            Ok(Change::Unrecognised { .. }) | Err(_) => {
                tracing::warn!(kind, "a timeline event this version cannot read");
                Change::Unrecognised {
                    kind: kind.to_owned(),
                }
            }
            Ok(change) => change,
        }
    }

    /// The stored kind: "created", "status_changed", …
    pub fn kind(&self) -> &str {
        match self {
            Change::Created { .. } => "created",
            Change::StatusChanged { .. } => "status_changed",
            Change::PriorityChanged { .. } => "priority_changed",
            Change::Responded { .. } => "responded",
            Change::ContactChanged { .. } => "contact_changed",
            Change::Deleted { .. } => "deleted",
            Change::CustomerMessage { .. } => "customer_message",
            Change::Satisfaction { .. } => "satisfaction",
            Change::Emailed { .. } => "emailed",
            Change::EmailFailed { .. } => "email_failed",
            Change::Note { .. } => "note",
            Change::Assigned { .. } => "assigned",
            Change::FirstResponse { .. } => "first_response",
            Change::Merged { .. } => "merged",
            Change::Erased { .. } => "erased",
            Change::Unrecognised { kind } => kind,
        }
    }

    /// What happened, after the actor's name: "set status to resolved".
    fn predicate(&self, actor: &str, issue_id: i64) -> String {
        match self {
            Change::Created {
                description: Some(_),
                ..
            } => format!("reported #{issue_id} (merged into this issue later)"),
            Change::Created { .. } => "reported the issue".into(),
            Change::StatusChanged { to, .. } => {
                format!("set status to {}", to.label().to_lowercase())
            }
            Change::PriorityChanged { to, .. } => {
                format!("set priority to {}", to.label().to_lowercase())
            }
            Change::Responded { .. } => "responded".into(),
            Change::ContactChanged { fields } if fields.is_empty() => {
                "changed the contact details".into()
            }
            Change::ContactChanged { fields } => {
                let words: Vec<&str> = fields.iter().map(|f| f.label()).collect();
                format!("changed the customer's {}", join_words(&words))
            }
            Change::Deleted { .. } => "deleted the issue".into(),
            Change::CustomerMessage { .. } => "wrote".into(),
            Change::Satisfaction { solved: true, .. } => "said the problem is solved".into(),
            Change::Satisfaction { solved: false, .. } => "said the problem is not solved".into(),
            Change::Emailed { email } => format!("emailed {} to the customer", email.what()),
            Change::EmailFailed { email, error } => format!(
                "could not email {} to the customer{}",
                email.what(),
                error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
            Change::Note { .. } => "added an internal note".into(),
            Change::Assigned { to: Some(to), .. } if to == actor => "took the issue".into(),
            Change::Assigned { to: Some(to), .. } => format!("handed the issue to {to}"),
            Change::Assigned {
                from: Some(from), ..
            } if from == actor => "gave the issue back".into(),
            Change::Assigned {
                from: Some(from), ..
            } => format!("removed {from} as the owner"),
            Change::Assigned { .. } => "left the issue without an owner".into(),
            Change::FirstResponse { late_seconds, .. } if *late_seconds <= 0 => {
                "the first response met the promise".into()
            }
            Change::FirstResponse { late_seconds, .. } => format!(
                "the first response came {} after the promise",
                duration_words(*late_seconds)
            ),
            Change::Merged { into } => format!("merged #{issue_id} into #{into}"),
            Change::Erased { .. } => "erased the customer's data (a privacy request)".into(),
            Change::Unrecognised { kind } => kind.replace('_', " "),
        }
    }

    /// Whether only agents may see it, marked as such on the timeline.
    pub fn is_internal(&self) -> bool {
        matches!(self, Change::Note { .. })
    }
}

/// Which email of an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    Confirmation,
    Response,
    Resolved,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Confirmation => "confirmation",
            EmailKind::Response => "response",
            EmailKind::Resolved => "resolved",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            EmailKind::Confirmation,
            EmailKind::Response,
            EmailKind::Resolved,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == raw)
    }

    fn what(self) -> &'static str {
        match self {
            EmailKind::Confirmation => "the confirmation",
            EmailKind::Response => "the response",
            EmailKind::Resolved => "the resolution note",
        }
    }
}

/// "name", "name and email", "name, email and phone number".
/// "2 h 5 min", "3 d 4 h", "40 s": the two largest units of a span of seconds.
pub(crate) fn duration_words(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One event on an issue's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Event {
    pub id: i64,
    pub issue_id: i64,
    pub at: DateTime<Utc>,
    /// The database login that made the change.
    pub actor: String,
    #[serde(flatten)]
    pub change: Change,
    /// The sentence for people, without the time: "amina set status to resolved".
    pub summary: String,
    /// The words the event carries, shown beneath it: a response, the customer's message,
    /// the customer's comment, a note.
    pub quote: Option<String>,
    /// Only agents see it (an internal note): the timeline marks it.
    pub internal: bool,
}

impl Change {
    fn quote(&self) -> Option<String> {
        match self {
            Change::Responded { response } => response.clone(),
            Change::CustomerMessage { text } | Change::Note { text } => text.clone(),
            Change::Satisfaction { comment, .. } => comment.clone(),
            Change::Created { description, .. } => description.clone(),
            _ => None,
        }
    }
}

impl Event {
    pub fn new(id: i64, issue_id: i64, at: DateTime<Utc>, actor: String, change: Change) -> Self {
        let who = match &change {
            // reports come in through the public page's login, which is not a person; the
            // database names the customer and the mailer itself
            Change::Created { .. } => Some("Customer"),
            Change::Emailed { .. } | Change::EmailFailed { .. } | Change::FirstResponse { .. } => {
                None
            }
            _ if actor == "customer" => Some("Customer"),
            _ if actor.is_empty() => Some("Someone"),
            _ => Some(actor.as_str()),
        };
        let summary = match who {
            Some(who) => format!("{who} {}", change.predicate(&actor, issue_id)),
            None => upper_first(&change.predicate(&actor, issue_id)),
        };
        let quote = change.quote();
        let internal = change.is_internal();
        Self {
            id,
            issue_id,
            at,
            actor,
            change,
            summary,
            quote,
            internal,
        }
    }

    /// The sentence with its time, for messages that outlive the screen: "amina set status
    /// to resolved at 14:02 UTC".
    pub fn summary_at(&self) -> String {
        format!("{} at {} UTC", self.summary, self.at.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(kind: &str, detail: serde_json::Value) -> Event {
        Event::new(
            1,
            7,
            DateTime::UNIX_EPOCH,
            "amina".into(),
            Change::from_stored(kind, detail),
        )
    }

    #[test]
    fn each_kind_reads_as_a_sentence() {
        let cases = [
            (
                "created",
                json!({"issue_type": "damaged", "priority": "urgent", "status": "open"}),
                "Customer reported the issue",
            ),
            (
                "status_changed",
                json!({"from": "open", "to": "in-progress"}),
                "amina set status to in progress",
            ),
            (
                "priority_changed",
                json!({"from": "normal", "to": "urgent"}),
                "amina set priority to urgent",
            ),
            (
                "responded",
                json!({"response": "On its way."}),
                "amina responded",
            ),
            ("responded", json!({}), "amina responded"),
            (
                "contact_changed",
                json!({"fields": ["name", "email", "order_id"]}),
                "amina changed the customer's name, email and order id",
            ),
            (
                "deleted",
                json!({"issue_type": "other", "priority": "normal", "status": "resolved",
                       "created_at": "2026-11-30T10:00:00.123456+00:00"}),
                "amina deleted the issue",
            ),
            (
                "customer_message",
                json!({"text": "Any news?"}),
                "amina wrote",
            ),
            (
                "satisfaction",
                json!({"solved": true, "comment": null}),
                "amina said the problem is solved",
            ),
            (
                "emailed",
                json!({"email": "response"}),
                "Emailed the response to the customer",
            ),
            (
                "email_failed",
                json!({"email": "confirmation", "error": "mailbox unavailable"}),
                "Could not email the confirmation to the customer: mailbox unavailable",
            ),
            (
                "note",
                json!({"text": "Courier says Tuesday."}),
                "amina added an internal note",
            ),
            ("note", json!({}), "amina added an internal note"),
            (
                "assigned",
                json!({"from": null, "to": "amina"}),
                "amina took the issue",
            ),
            (
                "assigned",
                json!({"from": "amina", "to": "jonas"}),
                "amina handed the issue to jonas",
            ),
            (
                "assigned",
                json!({"from": "amina", "to": null}),
                "amina gave the issue back",
            ),
            (
                "assigned",
                json!({"from": "jonas", "to": null}),
                "amina removed jonas as the owner",
            ),
            (
                "first_response",
                json!({"due_at": "2026-12-02T14:00:00Z", "late_seconds": 0}),
                "The first response met the promise",
            ),
            (
                "first_response",
                json!({"due_at": "2026-12-02T14:00:00Z", "late_seconds": 7500}),
                "The first response came 2 h 5 min after the promise",
            ),
            (
                "first_response",
                json!({"due_at": null, "late_seconds": 273_600}),
                "The first response came 3 d 4 h after the promise",
            ),
            ("customer_message", json!({}), "amina wrote"),
        ];
        for (kind, detail, sentence) in cases {
            let event = event(kind, detail);
            assert!(
                !matches!(event.change, Change::Unrecognised { .. }),
                "{kind} should parse"
            );
            assert_eq!(event.change.kind(), kind);
            assert_eq!(event.summary, sentence);
        }
    }

    #[test]
    fn an_unreadable_event_is_kept_with_its_kind() {
        let odd = event("status_changed", json!({"from": "open", "to": "lost"}));
        assert_eq!(
            odd.change,
            Change::Unrecognised {
                kind: "status_changed".into()
            }
        );
        assert_eq!(odd.summary, "amina status changed");
    }

    #[test]
    fn the_wire_form_carries_kind_detail_and_summary() {
        let wire = serde_json::to_value(event(
            "status_changed",
            json!({"from": "open", "to": "resolved"}),
        ))
        .unwrap();
        assert_eq!(wire["kind"], "status_changed");
        assert_eq!(wire["detail"], json!({"from": "open", "to": "resolved"}));
        assert_eq!(wire["summary"], "amina set status to resolved");
        assert_eq!(wire["internal"], false);
        let note = serde_json::to_value(event("note", json!({"text": "Call back at 3"}))).unwrap();
        assert_eq!(note["internal"], true);
        assert_eq!(note["quote"], "Call back at 3");
    }
}
