// The rail's views, the filter bar and the search box, turned into one `list_issues` query.
// A view is a base constraint (a status, a priority, "not resolved", "resolved since local
// midnight"); the filters narrow it. The server applies all of it, so every page is full.
import type { Cursor, Issue, ListQuery, Page, Priority, Status } from '../api';
import { PAGE_SIZE } from '../api';
import { parseTime, startOfLocalDay } from './format';

export type View = 'all' | 'open' | 'in-progress' | 'urgent' | 'resolved-today';

export const VIEWS: readonly { id: View; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'open', label: 'Open' },
  { id: 'in-progress', label: 'In progress' },
  { id: 'urgent', label: 'Urgent' },
  { id: 'resolved-today', label: 'Resolved today' },
];

export type Filters = {
  status: Status | '';
  priority: Priority | '';
  search: string;
};

export const NO_FILTERS: Filters = { status: '', priority: '', search: '' };

type Base = Pick<ListQuery, 'status' | 'priority' | 'unresolved' | 'resolved_since'>;

function viewBase(view: View, now: Date): Base {
  const none: Base = { status: null, priority: null, unresolved: false, resolved_since: null };
  switch (view) {
    case 'open':
      return { ...none, status: 'open' };
    case 'in-progress':
      return { ...none, status: 'in-progress' };
    case 'urgent':
      return { ...none, priority: 'urgent', unresolved: true };
    case 'resolved-today':
      return { ...none, status: 'resolved', resolved_since: startOfLocalDay(now).toISOString() };
    default:
      return none;
  }
}

/**
 * The query for a view with filters, or null when the two contradict each other (the
 * Open view filtered to resolved issues): nothing can match, so nothing is asked.
 */
export function planQuery(view: View, filters: Filters, now: Date = new Date()): ListQuery | null {
  const base = viewBase(view, now);
  let status = base.status;
  let priority = base.priority;
  if (filters.status) {
    if (status && status !== filters.status) return null;
    if (base.unresolved && filters.status === 'resolved') return null;
    status = filters.status;
  }
  if (filters.priority) {
    if (priority && priority !== filters.priority) return null;
    priority = filters.priority;
  }
  const search = filters.search.trim();
  return { ...base, status, priority, search: search || null, cursor: null, limit: PAGE_SIZE };
}

/**
 * Whether an issue still fits a query's status, priority and view constraints (after a
 * change; the search text is not re-checked, as changes never touch what it matches).
 */
export function matchesQuery(issue: Issue, query: ListQuery): boolean {
  if (query.status && issue.status !== query.status) return false;
  if (query.priority && issue.priority !== query.priority) return false;
  if (query.unresolved && issue.status === 'resolved') return false;
  if (query.resolved_since && (issue.resolved_at === null || parseTime(issue.resolved_at) < parseTime(query.resolved_since))) return false;
  return true;
}

export function hasFilters(filters: Filters): boolean {
  return filters.status !== '' || filters.priority !== '' || filters.search.trim() !== '';
}

/**
 * A fresh first page merged into the rows already loaded, so a live refresh keeps the
 * agent's place: the new page's rows first, then the older rows that had been loaded beyond
 * it (with the cursor that continues after them). Rows are newest first by (created_at, id).
 */
export function mergeFirstPage(loaded: Issue[], loadedNext: Cursor | null, page: Page): Page {
  const fresh = page.issues;
  if (page.next === null || fresh.length === 0) return page;
  const last = fresh[fresh.length - 1];
  const lastAt = parseTime(last.created_at);
  const seen = new Set(fresh.map((i) => i.id));
  const older = loaded.filter((i) => {
    if (seen.has(i.id)) return false;
    const t = parseTime(i.created_at);
    return t < lastAt || (t === lastAt && i.id < last.id);
  });
  if (older.length === 0) return page;
  return { issues: [...fresh, ...older], next: loadedNext };
}
