//! Desktop notifications: which new issues deserve one (the agent's setting) and what they
//! say.

use serde::{Deserialize, Serialize};

use crate::db::Issue;
use crate::desk::live::CATCH_UP_LIMIT;
use crate::domain::Priority;

/// Which new issues raise a desktop notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum NotifyLevel {
    #[default]
    Urgent,
    HighAndUrgent,
    None,
}

impl NotifyLevel {
    pub const ALL: &'static [NotifyLevel] = &[
        NotifyLevel::Urgent,
        NotifyLevel::HighAndUrgent,
        NotifyLevel::None,
    ];

    pub fn label(self) -> &'static str {
        match self {
            NotifyLevel::Urgent => "Urgent issues only",
            NotifyLevel::HighAndUrgent => "High and urgent issues",
            NotifyLevel::None => "No notifications",
        }
    }

    /// Whether a new issue of this priority deserves a notification.
    pub fn wants(self, priority: Priority) -> bool {
        match self {
            NotifyLevel::None => false,
            NotifyLevel::Urgent => priority == Priority::Urgent,
            NotifyLevel::HighAndUrgent => matches!(priority, Priority::High | Priority::Urgent),
        }
    }
}

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The text with `&`, `<` and `>` escaped, for notification servers that read the body as
/// markup (most on Linux): an order id like `<a href=…>` then shows as typed.
pub fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// More missed notifications than this become one summary instead of a burst.
const MAX_SINGLE_NOTICES: usize = 3;

impl Notice {
    /// A new issue: priority, id and customer; type and order.
    pub fn new_issue(issue: &Issue) -> Self {
        Self {
            title: format!(
                "{} {} issue #{}: {}",
                issue.priority.icon(),
                issue.priority.label(),
                issue.id,
                issue.name
            ),
            body: format!(
                "{} {}{}",
                issue.issue_type.icon(),
                issue.issue_type.label(),
                issue
                    .order_id
                    .as_ref()
                    .map(|o| format!(" · order {o}"))
                    .unwrap_or_default()
            ),
        }
    }

    /// Reminders of urgent issues nobody has taken yet: one each, or a summary when many.
    pub fn still_unowned(issues: &[Issue]) -> Vec<Notice> {
        Self::each_or_summary(
            issues,
            |issue| Notice {
                title: format!(
                    "{} Urgent issue #{} still has no owner: {}",
                    issue.priority.icon(),
                    issue.id,
                    issue.name
                ),
                body: format!("{} · take it in CareDesk", issue.issue_type.label()),
            },
            |count| Notice {
                title: format!("{count} urgent issues still have no owner"),
                body: "They are in the Urgent view; take one in CareDesk.".into(),
            },
        )
    }

    /// Issues whose first response just fell due without one: one each, or a summary.
    pub fn overdue(issues: &[Issue]) -> Vec<Notice> {
        Self::each_or_summary(
            issues,
            |issue| Notice {
                title: format!("⏰ Issue #{} is overdue: {}", issue.id, issue.name),
                body: format!(
                    "{} · no response yet, and the shop's promise has run out",
                    issue.issue_type.label()
                ),
            },
            |count| Notice {
                title: format!("{count} issues are overdue"),
                body: "No response yet, and the shop's promise has run out: see the Overdue view."
                    .into(),
            },
        )
    }

    fn each_or_summary(
        issues: &[Issue],
        each: impl Fn(&Issue) -> Notice,
        summary: impl Fn(usize) -> Notice,
    ) -> Vec<Notice> {
        if issues.len() > MAX_SINGLE_NOTICES {
            vec![summary(issues.len())]
        } else {
            issues.iter().map(each).collect()
        }
    }

    /// The customer of an issue wrote again: who, and the start of what they wrote.
    pub fn customer_wrote(wrote: &crate::desk::live::CustomerWrote) -> Self {
        let mut excerpt: String = wrote.text.chars().take(140).collect();
        if excerpt.len() < wrote.text.len() {
            excerpt.push('…');
        }
        Self {
            title: format!("💬 {}", wrote.summary),
            body: excerpt,
        }
    }

    /// What to show for the reports missed while offline (`missed`: the newest, newest
    /// first; `total`: how many there were in all): each one the level wants, or a summary
    /// when they are many.
    pub fn for_missed(level: NotifyLevel, missed: &[Issue], total: i64) -> Vec<Notice> {
        let wanted: Vec<&Issue> = missed.iter().filter(|i| level.wants(i.priority)).collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        if wanted.len() <= MAX_SINGLE_NOTICES && total <= CATCH_UP_LIMIT {
            // oldest first, as they would have arrived
            return wanted.iter().rev().map(|i| Notice::new_issue(i)).collect();
        }
        let title = if total > CATCH_UP_LIMIT {
            format!(
                "{total} issues arrived while CareDesk was offline ({} of the newest {CATCH_UP_LIMIT} need attention)",
                wanted.len()
            )
        } else {
            format!(
                "{} issues that need attention arrived while CareDesk was offline",
                wanted.len()
            )
        };
        vec![Notice {
            title,
            body: "They are at the top of the list.".into(),
        }]
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{IssueType, Status};

    fn issue(id: i64, priority: Priority) -> Issue {
        let now = Utc::now();
        Issue {
            id,
            name: format!("Customer {id}"),
            email: "c@example.com".into(),
            phone: "0151 23456789".into(),
            phone_e164: "+4915123456789".into(),
            order_id: Some("A-1".into()),
            issue_type: IssueType::Damaged,
            description: "The box was crushed.".into(),
            priority,
            status: Status::Open,
            created_at: now,
            updated_at: now,
            admin_response: None,
            resolved_at: None,
            owner: None,
            due_at: None,
            first_response_at: None,
            possible_duplicate_of: None,
            merged_into: None,
        }
    }

    #[test]
    fn customer_text_in_a_notification_body_is_not_markup() {
        assert_eq!(
            escape_markup("order <a href=\"https://evil.example\">x</a> & more"),
            "order &lt;a href=\"https://evil.example\"&gt;x&lt;/a&gt; &amp; more"
        );
    }

    #[test]
    fn notification_levels_choose_priorities() {
        assert!(NotifyLevel::Urgent.wants(Priority::Urgent));
        assert!(!NotifyLevel::Urgent.wants(Priority::High));
        assert!(NotifyLevel::HighAndUrgent.wants(Priority::High));
        assert!(!NotifyLevel::HighAndUrgent.wants(Priority::Normal));
        assert!(!NotifyLevel::None.wants(Priority::Urgent));
    }

    #[test]
    fn reminders_name_each_issue_or_sum_up_many() {
        let few = [issue(7, Priority::Urgent)];
        let notices = Notice::still_unowned(&few);
        assert_eq!(
            notices[0].title,
            "🔴 Urgent issue #7 still has no owner: Customer 7"
        );
        let overdue = Notice::overdue(&few);
        assert_eq!(overdue[0].title, "⏰ Issue #7 is overdue: Customer 7");
        let many: Vec<Issue> = (1..=5).map(|id| issue(id, Priority::Urgent)).collect();
        assert_eq!(
            Notice::still_unowned(&many),
            [Notice {
                title: "5 urgent issues still have no owner".into(),
                body: "They are in the Urgent view; take one in CareDesk.".into(),
            }]
        );
        assert_eq!(Notice::overdue(&many)[0].title, "5 issues are overdue");
        assert!(Notice::overdue(&[]).is_empty());
    }

    #[test]
    fn a_new_issue_names_priority_customer_type_and_order() {
        let notice = Notice::new_issue(&issue(7, Priority::Urgent));
        assert_eq!(notice.title, "🔴 Urgent issue #7: Customer 7");
        assert_eq!(notice.body, "💔 Damaged Packaging · order A-1");
    }

    #[test]
    fn a_few_missed_reports_are_announced_each_oldest_first() {
        let missed = [
            issue(9, Priority::Urgent),
            issue(8, Priority::Normal),
            issue(7, Priority::Urgent),
        ];
        let notices = Notice::for_missed(NotifyLevel::Urgent, &missed, 3);
        let titles: Vec<&str> = notices.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "🔴 Urgent issue #7: Customer 7",
                "🔴 Urgent issue #9: Customer 9"
            ]
        );
        assert!(Notice::for_missed(NotifyLevel::None, &missed, 3).is_empty());
    }

    #[test]
    fn many_missed_reports_make_one_summary() {
        let four: Vec<Issue> = (1..=4).map(|id| issue(id, Priority::Urgent)).collect();
        assert_eq!(
            Notice::for_missed(NotifyLevel::Urgent, &four, 9)[0].title,
            "4 issues that need attention arrived while CareDesk was offline"
        );
        assert_eq!(
            Notice::for_missed(NotifyLevel::Urgent, &four[..2], 300)[0].title,
            "300 issues arrived while CareDesk was offline (2 of the newest 50 need attention)"
        );
    }
}
