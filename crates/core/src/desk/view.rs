//! The rail's views. A view is a base constraint on the issue list (a status, "urgent and
//! not resolved", "resolved since the agent's midnight"); the agent's filters narrow it.
//! The same definition answers both the list and the view's live count, so the two can
//! never disagree; adding a view is one variant here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::db::issues::{self, CountRow};
use crate::db::list::{self, Cursor, IssueFilter, OwnerFilter, Page};
use crate::domain::{Priority, Status};
use crate::error::Error;

/// The page size when the caller names none.
pub const DEFAULT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum View {
    All,
    Open,
    InProgress,
    /// Urgent and not resolved yet.
    Urgent,
    /// Resolved since the agent's local midnight.
    ResolvedToday,
    /// The signed-in agent's own issues that are not resolved yet.
    Mine,
    /// Unresolved issues past their first-response due time, still unanswered.
    Overdue,
}

/// The start of the agent's day, in UTC: what "today" means for Resolved today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    pub starts_at: DateTime<Utc>,
}

impl View {
    pub const ALL: &'static [View] = &[
        View::All,
        View::Open,
        View::InProgress,
        View::Urgent,
        View::ResolvedToday,
        View::Mine,
        View::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            View::All => "all",
            View::Open => "open",
            View::InProgress => "in-progress",
            View::Urgent => "urgent",
            View::ResolvedToday => "resolved-today",
            View::Mine => "mine",
            View::Overdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::All => "All",
            View::Open => Status::Open.label(),
            View::InProgress => Status::InProgress.label(),
            View::Urgent => Priority::Urgent.label(),
            View::ResolvedToday => "Resolved today",
            View::Mine => "Mine",
            View::Overdue => "Overdue",
        }
    }

    /// The name of the view's icon in the desktop's icon set.
    pub fn icon(self) -> &'static str {
        match self {
            View::All => "inbox",
            View::Open => "circle",
            View::InProgress => "halfcircle",
            View::Urgent => "flame",
            View::ResolvedToday => "done",
            View::Mine => "person",
            View::Overdue => "clock",
        }
    }

    /// What the view alone lets through.
    fn base(self, today: Today) -> IssueFilter {
        let none = IssueFilter::default();
        match self {
            View::All => none,
            View::Open => IssueFilter {
                status: Some(Status::Open),
                ..none
            },
            View::InProgress => IssueFilter {
                status: Some(Status::InProgress),
                ..none
            },
            View::Urgent => IssueFilter {
                priority: Some(Priority::Urgent),
                unresolved: true,
                ..none
            },
            View::ResolvedToday => IssueFilter {
                status: Some(Status::Resolved),
                resolved_since: Some(today.starts_at),
                ..none
            },
            View::Mine => IssueFilter {
                owner: Some(OwnerFilter::Me),
                unresolved: true,
                ..none
            },
            View::Overdue => IssueFilter {
                overdue: true,
                unresolved: true,
                ..none
            },
        }
    }

    /// The view narrowed by the agent's filters, or `None` when the two exclude each other
    /// (the Open view filtered to resolved issues): then nothing can match.
    pub fn narrowed(self, filters: &Filters, today: Today) -> Option<IssueFilter> {
        let mut filter = self.base(today);
        if let Some(status) = filters.status {
            if filter.status.is_some_and(|s| s != status)
                || (filter.unresolved && status == Status::Resolved)
            {
                return None;
            }
            filter.status = Some(status);
        }
        if let Some(priority) = filters.priority {
            if filter.priority.is_some_and(|p| p != priority) {
                return None;
            }
            filter.priority = Some(priority);
        }
        if let Some(owner) = &filters.owner {
            if filter.owner.as_ref().is_some_and(|o| o != owner) {
                return None;
            }
            filter.owner = Some(owner.clone());
        }
        filter.search = filters
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        Some(filter)
    }

    /// The view's number among the counts the database keeps.
    fn count(self, row: &CountRow) -> i64 {
        match self {
            View::All => row.total,
            View::Open => row.open,
            View::InProgress => row.in_progress,
            View::Urgent => row.urgent_unresolved,
            View::ResolvedToday => row.resolved_since,
            View::Mine => row.mine,
            View::Overdue => row.overdue,
        }
    }
}

/// What the agent narrows a view by: the filter bar and the search box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Filters {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// Name or email fragment, or phone digits in any spelling.
    pub search: Option<String>,
    /// Whose issues (anyone's when `None`).
    #[serde(default)]
    pub owner: Option<OwnerFilter>,
}

/// One page of a view as the desktop asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ViewQuery {
    pub view: View,
    pub filters: Filters,
    /// Only this issue, if it belongs to the view: how a row changed elsewhere learns
    /// whether it still does.
    pub only: Option<i64>,
    /// Continue after this row; `None` for the first page.
    pub cursor: Option<Cursor>,
    /// Rows per page; `DEFAULT_PAGE_SIZE` when `None`, at most `list::MAX_PAGE_SIZE`.
    pub limit: Option<i64>,
}

/// A page of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ViewPage {
    #[serde(flatten)]
    pub page: Page,
    /// The view and the filters exclude each other: nothing can ever match.
    pub contradictory: bool,
}

/// A view's live number for the rail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ViewCount {
    pub view: View,
    pub count: i64,
}

/// The page of `query`'s view.
pub async fn page(
    db: &mut PgConnection,
    query: &ViewQuery,
    today: Today,
) -> Result<ViewPage, Error> {
    let Some(mut filter) = query.view.narrowed(&query.filters, today) else {
        return Ok(ViewPage {
            page: Page {
                issues: Vec::new(),
                next: None,
            },
            contradictory: true,
        });
    };
    filter.only = query.only;
    let page = list::page(
        db,
        &filter,
        query.cursor,
        query.limit.unwrap_or(DEFAULT_PAGE_SIZE),
    )
    .await?;
    Ok(ViewPage {
        page,
        contradictory: false,
    })
}

/// Every view's count, in the rail's order.
pub async fn counts(db: &mut PgConnection, today: Today) -> Result<Vec<ViewCount>, Error> {
    let row = issues::count_row(db, today.starts_at).await?;
    Ok(View::ALL
        .iter()
        .map(|&view| ViewCount {
            view,
            count: view.count(&row),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Today {
        Today {
            starts_at: DateTime::UNIX_EPOCH,
        }
    }

    fn filters(status: Option<Status>, priority: Option<Priority>) -> Filters {
        Filters {
            status,
            priority,
            search: None,
            owner: None,
        }
    }

    #[test]
    fn a_view_narrowed_by_a_filter_keeps_both_constraints() {
        let urgent_open = View::Urgent
            .narrowed(&filters(Some(Status::Open), None), today())
            .unwrap();
        assert_eq!(urgent_open.status, Some(Status::Open));
        assert_eq!(urgent_open.priority, Some(Priority::Urgent));
        assert!(urgent_open.unresolved);
        let resolved_high = View::ResolvedToday
            .narrowed(&filters(None, Some(Priority::High)), today())
            .unwrap();
        assert_eq!(resolved_high.resolved_since, Some(DateTime::UNIX_EPOCH));
        assert_eq!(resolved_high.priority, Some(Priority::High));
    }

    #[test]
    fn filters_that_exclude_the_view_match_nothing() {
        for (view, status, priority) in [
            (View::Open, Some(Status::Resolved), None),
            (View::InProgress, Some(Status::Open), None),
            (View::Urgent, Some(Status::Resolved), None),
            (View::Urgent, None, Some(Priority::Normal)),
            (View::ResolvedToday, Some(Status::Open), None),
        ] {
            assert_eq!(
                view.narrowed(&filters(status, priority), today()),
                None,
                "{view:?} {status:?} {priority:?}"
            );
        }
    }

    #[test]
    fn mine_is_the_agents_own_unresolved_issues_and_excludes_other_owners() {
        let mine = View::Mine.narrowed(&Filters::default(), today()).unwrap();
        assert_eq!(mine.owner, Some(OwnerFilter::Me));
        assert!(mine.unresolved);
        let nobodys = Filters {
            owner: Some(OwnerFilter::Nobody),
            ..Filters::default()
        };
        assert_eq!(View::Mine.narrowed(&nobodys, today()), None);
        assert_eq!(
            View::All.narrowed(&nobodys, today()).unwrap().owner,
            Some(OwnerFilter::Nobody)
        );
    }

    #[test]
    fn search_text_is_trimmed_and_blank_search_is_none() {
        let blank = Filters {
            search: Some("   ".into()),
            ..Filters::default()
        };
        assert_eq!(View::All.narrowed(&blank, today()).unwrap().search, None);
        let amina = Filters {
            search: Some(" amina ".into()),
            ..Filters::default()
        };
        assert_eq!(
            View::All
                .narrowed(&amina, today())
                .unwrap()
                .search
                .as_deref(),
            Some("amina")
        );
    }

    #[test]
    fn each_view_counts_its_own_number() {
        let row = CountRow {
            open: 1,
            in_progress: 2,
            urgent_unresolved: 3,
            resolved_since: 4,
            total: 10,
            mine: 5,
            overdue: 6,
        };
        let counted: Vec<i64> = View::ALL.iter().map(|v| v.count(&row)).collect();
        assert_eq!(counted, [10, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn views_are_spelled_as_on_the_wire() {
        for view in View::ALL {
            assert_eq!(
                serde_json::to_value(view).unwrap(),
                serde_json::Value::from(view.as_str())
            );
        }
    }
}
