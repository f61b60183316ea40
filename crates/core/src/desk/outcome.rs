//! What the agent is told after saving a change: exactly what happened, the email to the
//! customer included ("saved; not emailed" is never shown as "sent").

use crate::desk::timeline::EmailKind;
use crate::domain::{Priority, Status};

/// What one save changed, and whether it emailed the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub id: i64,
    pub responded: bool,
    /// The status before and after, when it changed.
    pub status: Option<(Status, Status)>,
    pub priority: Option<Priority>,
    /// The agent asked for the customer to be emailed.
    pub email_asked: bool,
    /// The email the change queued.
    pub emailed: Option<EmailKind>,
    /// A mailer is delivering.
    pub mail_available: bool,
}

impl Saved {
    /// "Response saved and queued for email to the customer · issue #12 is in progress".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.responded {
            parts.push(
                match (self.emailed, self.email_asked, self.mail_available) {
                    (Some(_), ..) => {
                        "Response saved and queued for email to the customer".to_owned()
                    }
                    (None, _, false) => {
                        "Response saved; not emailed (no mail server configured)".to_owned()
                    }
                    (None, false, true) => {
                        "Response saved; not emailed (you chose not to)".to_owned()
                    }
                    (None, true, true) => "Response saved; not emailed".to_owned(),
                },
            );
        }
        if let Some((from, to)) = self.status {
            let change = match to {
                Status::Resolved => "resolved",
                Status::InProgress => "is in progress",
                Status::Open if from == Status::Resolved => "reopened",
                Status::Open => "set to open",
            };
            let mut part = format!("issue #{} {change}", self.id);
            if !self.responded && to == Status::Resolved {
                part.push_str(match self.emailed {
                    Some(_) => "; the customer will be emailed",
                    None if self.email_asked && !self.mail_available => {
                        "; not emailed (no mail server configured)"
                    }
                    None => "",
                });
            }
            parts.push(part);
        }
        if let Some(priority) = self.priority {
            parts.push(format!(
                "issue #{} priority set to {}",
                self.id,
                priority.label().to_lowercase()
            ));
        }
        let sentence = if parts.is_empty() {
            "Nothing to change".to_owned()
        } else {
            parts.join(" · ")
        };
        let mut chars = sentence.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// After an internal note: said so that nobody thinks the customer was told.
pub fn note_added(id: i64) -> String {
    format!("Internal note added to issue #{id} (only agents see it; the customer was not told)")
}

/// After a merge: what the customer of the merged issue now sees, exactly.
pub fn merged(merged: i64, kept: i64, same_customer: bool) -> String {
    let link = if same_customer {
        format!("its status link now shows #{kept}")
    } else {
        "its status link still shows it alone (another customer's issue is never shown)".to_owned()
    };
    format!(
        "Issue #{merged} merged into #{kept}: resolved as merged, its timeline is in #{kept}, and {link}; the customer was not emailed"
    )
}

/// After a change of owner, for the agent `me`: "Issue #12 is yours and in progress",
/// "Issue #12 handed to jonas", "Issue #12 has no owner now".
pub fn assigned(id: i64, owner: Option<&str>, me: &str, now_in_progress: bool) -> String {
    let mut sentence = match owner {
        Some(owner) if owner == me => format!("Issue #{id} is yours"),
        Some(owner) => format!("Issue #{id} handed to {owner}"),
        None => format!("Issue #{id} has no owner now"),
    };
    if now_in_progress {
        sentence.push_str(" and in progress");
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Saved {
        Saved {
            id: 12,
            responded: false,
            status: None,
            priority: None,
            email_asked: true,
            emailed: None,
            mail_available: true,
        }
    }

    #[test]
    fn a_response_says_whether_it_was_emailed_and_why_not() {
        let queued = Saved {
            responded: true,
            emailed: Some(EmailKind::Response),
            status: Some((Status::Open, Status::InProgress)),
            ..saved()
        };
        assert_eq!(
            queued.sentence(),
            "Response saved and queued for email to the customer · issue #12 is in progress"
        );
        let no_server = Saved {
            responded: true,
            mail_available: false,
            ..saved()
        };
        assert_eq!(
            no_server.sentence(),
            "Response saved; not emailed (no mail server configured)"
        );
        let declined = Saved {
            responded: true,
            email_asked: false,
            ..saved()
        };
        assert_eq!(
            declined.sentence(),
            "Response saved; not emailed (you chose not to)"
        );
    }

    #[test]
    fn a_change_of_owner_says_whose_the_issue_is_now() {
        assert_eq!(
            assigned(12, Some("amina"), "amina", true),
            "Issue #12 is yours and in progress"
        );
        assert_eq!(
            assigned(12, Some("jonas"), "amina", false),
            "Issue #12 handed to jonas"
        );
        assert_eq!(
            assigned(12, None, "amina", false),
            "Issue #12 has no owner now"
        );
    }

    #[test]
    fn status_and_priority_changes_are_named() {
        let resolved = Saved {
            status: Some((Status::InProgress, Status::Resolved)),
            emailed: Some(EmailKind::Resolved),
            ..saved()
        };
        assert_eq!(
            resolved.sentence(),
            "Issue #12 resolved; the customer will be emailed"
        );
        let reopened = Saved {
            status: Some((Status::Resolved, Status::Open)),
            ..saved()
        };
        assert_eq!(reopened.sentence(), "Issue #12 reopened");
        let urgent = Saved {
            priority: Some(Priority::Urgent),
            ..saved()
        };
        assert_eq!(urgent.sentence(), "Issue #12 priority set to urgent");
    }
}
