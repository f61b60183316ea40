//! The dashboard list: any mix of status filter, priority filter and search text, newest
//! first, paged by keyset (a cursor at the last row seen), never by OFFSET.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use super::issues::{Issue, select_issues};
use crate::domain::{Priority, Status};
use crate::error::Error;

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: i64 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueFilter {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// Matched as a substring of name, email or order id (case-insensitive), and, when it
    /// looks like a phone number, of the phone's digits in either the typed or the E.164
    /// form; `#1042` is issue number 1042.
    pub search: Option<String>,
    /// Only issues not resolved yet (the Urgent view: open and in progress).
    pub unresolved: bool,
    /// Only issues resolved at or after this time (the Resolved-today view).
    pub resolved_since: Option<DateTime<Utc>>,
    /// Only this issue (if it matches the rest).
    pub only: Option<i64>,
    /// Only issues of this owner (or of nobody).
    pub owner: Option<OwnerFilter>,
    /// Only issues past their first-response due time with no response yet, unresolved
    /// (the Overdue view).
    pub overdue: bool,
}

/// Whose issues: the signed-in agent's, nobody's, or one agent's.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerFilter {
    Me,
    Nobody,
    Agent(String),
}

impl OwnerFilter {
    /// The filter as the list query's two parameters: which kind, and the agent's login.
    fn as_params(&self) -> (&'static str, Option<&str>) {
        match self {
            OwnerFilter::Me => ("me", None),
            OwnerFilter::Nobody => ("nobody", None),
            OwnerFilter::Agent(login) => ("agent", Some(login)),
        }
    }
}

/// Where the next page starts: just after this row in newest-first order.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: i64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    pub issues: Vec<Issue>,
    /// `None` on the last page.
    pub next: Option<Cursor>,
}

/// The search text as SQL patterns: a LIKE pattern for name/email/order id, and one over
/// phone digits when the text is phone-like; or an issue number (`#1042`).
struct SearchPatterns {
    text: Option<String>,
    digits: Option<String>,
    number: Option<i64>,
}

impl SearchPatterns {
    fn from(search: Option<&str>) -> Self {
        let Some(term) = search.map(str::trim).filter(|t| !t.is_empty()) else {
            return Self {
                text: None,
                digits: None,
                number: None,
            };
        };
        if let Some(number) = issue_number(term) {
            return Self {
                text: None,
                digits: None,
                number: Some(number),
            };
        }
        Self {
            text: Some(format!("%{}%", escape_like(term))),
            digits: phone_digits_pattern(term),
            number: None,
        }
    }
}

/// `#1042` (as the desk writes issue numbers) is issue 1042.
fn issue_number(term: &str) -> Option<i64> {
    let digits = term.strip_prefix('#')?.trim();
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

/// Escapes LIKE's wildcards so the customer's `%` or `_` match themselves.
fn escape_like(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// For a phone-like term ("+49 151 2345", "0151-2345"), the digits to look for, without
/// the leading zeros of a trunk or international prefix, so both spellings of one number
/// meet in the stored digits of the typed and E.164 forms.
fn phone_digits_pattern(term: &str) -> Option<String> {
    let phone_like = term
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    let digits: String = term.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    (phone_like && digits.len() >= 3).then(|| format!("%{digits}%"))
}

/// One page of issues matching `filter`, after `cursor`.
pub async fn page(
    db: &mut PgConnection,
    filter: &IssueFilter,
    cursor: Option<Cursor>,
    page_size: i64,
) -> Result<Page, Error> {
    let size = page_size.clamp(1, MAX_PAGE_SIZE);
    let mut issues = fetch(db, filter, cursor, size + 1).await?;
    let next = if issues.len() as i64 > size {
        issues.truncate(size as usize);
        issues.last().map(|last| Cursor {
            created_at: last.created_at,
            id: last.id,
        })
    } else {
        None
    };
    Ok(Page { issues, next })
}

async fn fetch(
    db: &mut PgConnection,
    filter: &IssueFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Issue>, Error> {
    let search = SearchPatterns::from(filter.search.as_deref());
    let (owner_kind, owner_login) = match &filter.owner {
        Some(owner) => {
            let (kind, login) = owner.as_params();
            (Some(kind), login)
        }
        None => (None, None),
    };
    let issues = select_issues!(
        r#"WHERE ($1::text IS NULL OR status = $1)
              AND ($2::text IS NULL OR priority = $2)
              AND ($3::text IS NULL OR name ILIKE $3 OR email ILIKE $3 OR order_id ILIKE $3
                   OR phone_digits LIKE $4)
              AND ($14::bigint IS NULL OR id = $14)
              AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6))
              AND (NOT $8::bool OR status <> 'resolved')
              AND ($9::timestamptz IS NULL OR resolved_at >= $9)
              AND ($10::bigint IS NULL OR id = $10)
              AND ($11::text IS NULL OR CASE $11 WHEN 'me' THEN owner = session_user::text COLLATE "default"
                                                 WHEN 'nobody' THEN owner IS NULL
                                                 ELSE owner = $12 END)
              AND (NOT $13::bool OR (due_at < now() AND first_response_at IS NULL AND status <> 'resolved'))
            ORDER BY created_at DESC, id DESC
            LIMIT $7"#,
        filter.status.map(Status::as_str),
        filter.priority.map(Priority::as_str),
        search.text,
        search.digits,
        cursor.map(|c| c.created_at),
        cursor.map(|c| c.id),
        limit,
        filter.unresolved,
        filter.resolved_since,
        filter.only,
        owner_kind,
        owner_login,
        filter.overdue,
        search.number,
    )
    .fetch_all(db)
    .await?;
    Ok(issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_and_digits_is_an_issue_number_and_nothing_else_is() {
        assert_eq!(issue_number("#1042"), Some(1042));
        assert_eq!(issue_number("# 7"), Some(7));
        assert_eq!(
            issue_number("1042"),
            None,
            "digits alone may be a phone number"
        );
        assert_eq!(issue_number("#10a"), None);
        assert_eq!(issue_number("#"), None);
        assert_eq!(
            issue_number("#99999999999999999999"),
            None,
            "too large for an id"
        );
        assert_eq!(SearchPatterns::from(Some(" #12 ")).number, Some(12));
        assert_eq!(
            SearchPatterns::from(Some("LL-2042")).text.as_deref(),
            Some("%LL-2042%")
        );
    }

    #[test]
    fn like_wildcards_in_search_text_match_themselves() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }

    #[test]
    fn phone_like_terms_search_digits_without_prefix_zeros() {
        assert_eq!(
            phone_digits_pattern("+49 151 2345").as_deref(),
            Some("%491512345%")
        );
        assert_eq!(
            phone_digits_pattern("0151-2345").as_deref(),
            Some("%1512345%")
        );
        assert_eq!(phone_digits_pattern("0049 151").as_deref(), Some("%49151%"));
        assert_eq!(phone_digits_pattern("amina"), None);
        assert_eq!(phone_digits_pattern("12"), None, "too short to be useful");
        assert_eq!(
            phone_digits_pattern("a1234"),
            None,
            "letters make it a name or email search"
        );
    }
}
