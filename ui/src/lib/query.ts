// The rail's view, the filter bar and the search box, as one `list_issues` query. What a
// view means, and whether the filters contradict it, is the Rust side's business: the UI
// only names the view and passes what the agent chose.
import { LIMITS, type Cursor, type Issue, type OwnerFilter, type Priority, type Status, type View, type ViewPage, type ViewQuery } from '../api';
import { parseTime } from './format';

/**
 * Whose issues, as the owner select holds it: '' anyone's, 'me', 'nobody', or
 * 'agent:<login>' for one agent's.
 */
export type OwnerChoice = '' | 'me' | 'nobody' | `agent:${string}`;

/** The filter bar and search box as the agent set them ('' is "any"). */
export type Filters = {
  status: Status | '';
  priority: Priority | '';
  search: string;
  owner: OwnerChoice;
};

export const NO_FILTERS: Filters = { status: '', priority: '', search: '', owner: '' };

/** The owner select's value as the Rust side's filter. */
export function ownerFilter(choice: OwnerChoice): OwnerFilter | null {
  if (choice === '') return null;
  if (choice === 'me' || choice === 'nobody') return choice;
  return { agent: choice.slice('agent:'.length) };
}

/** The query for the first page of a view narrowed by the filters. */
export function viewQuery(view: View, filters: Filters, only: number | null = null): ViewQuery {
  return {
    view,
    filters: {
      status: filters.status || null,
      priority: filters.priority || null,
      search: filters.search || null,
      owner: ownerFilter(filters.owner),
    },
    only,
    cursor: null,
    limit: LIMITS.pageSize,
  };
}

export function hasFilters(filters: Filters): boolean {
  return filters.status !== '' || filters.priority !== '' || filters.owner !== '' || filters.search.trim() !== '';
}

type Page = Pick<ViewPage, 'issues' | 'next'>;

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
