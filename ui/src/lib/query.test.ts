import { describe, expect, it } from 'vitest';

import { issue } from '../test/fixtures';
import { hasFilters, mergeFirstPage, NO_FILTERS, viewQuery, type Filters } from './query';

describe('viewQuery', () => {
  it('names the view and passes the filters as chosen', () => {
    expect(viewQuery('all', NO_FILTERS)).toEqual({
      view: 'all',
      filters: { status: null, priority: null, search: null, owner: null },
      only: null,
      cursor: null,
      limit: 50,
    });
    expect(viewQuery('open', { status: '', priority: 'urgent', search: ' ama ', owner: '' }, 7)).toMatchObject({
      view: 'open',
      filters: { status: null, priority: 'urgent', search: ' ama ', owner: null },
      only: 7,
    });
  });

  it("passes the owner filter in the Rust side's shape", () => {
    const owner = (choice: Filters['owner']) => viewQuery('all', { ...NO_FILTERS, owner: choice }).filters.owner;
    expect(owner('me')).toBe('me');
    expect(owner('nobody')).toBe('nobody');
    expect(owner('agent:jonas')).toEqual({ agent: 'jonas' });
    expect(hasFilters({ ...NO_FILTERS, owner: 'nobody' })).toBe(true);
  });

  it('tells whether anything is filtered', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, search: '  ' })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, priority: 'high' })).toBe(true);
  });
});

describe('mergeFirstPage', () => {
  // ids grow with age in the fixtures: issue(1) is the newest
  const rows = [1, 2, 3, 4, 5, 6].map((id) => issue(id));

  it('takes a last page as it is', () => {
    const page = { issues: rows.slice(0, 2), next: null };
    expect(mergeFirstPage(rows, { created_at: 'x', id: 1 }, page)).toBe(page);
  });

  it('keeps the older rows already loaded beyond the fresh page, with their cursor', () => {
    const fresh = [issue(0), rows[0], rows[1]];
    const loadedNext = { created_at: rows[5].created_at, id: 6 };
    const merged = mergeFirstPage(rows, loadedNext, { issues: fresh, next: { created_at: rows[1].created_at, id: 2 } });
    expect(merged.issues.map((i) => i.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(merged.next).toEqual(loadedNext);
  });

  it('uses the fresh cursor when nothing older was loaded', () => {
    const next = { created_at: rows[1].created_at, id: 2 };
    const merged = mergeFirstPage(rows.slice(0, 2), null, { issues: rows.slice(0, 2), next });
    expect(merged.next).toEqual(next);
  });
});
