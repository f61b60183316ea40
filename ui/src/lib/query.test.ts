import { describe, expect, it } from 'vitest';

import { issue } from '../test/fixtures';
import { hasFilters, matchesQuery, mergeFirstPage, NO_FILTERS, planQuery } from './query';

describe('planQuery', () => {
  const everything = { status: null, priority: null, unresolved: false, resolved_since: null, search: null, cursor: null, limit: 50 };

  it('asks for everything in the All view', () => {
    expect(planQuery('all', NO_FILTERS)).toEqual(everything);
  });

  it('combines the view with the filters and the search', () => {
    const query = planQuery('open', { status: '', priority: 'urgent', search: '  ama ' });
    expect(query).toEqual({ ...everything, status: 'open', priority: 'urgent', search: 'ama' });
    expect(planQuery('all', { status: 'resolved', priority: 'high', search: '' })).toMatchObject({ status: 'resolved', priority: 'high' });
  });

  it('asks nothing when the view and the filters exclude each other', () => {
    expect(planQuery('open', { ...NO_FILTERS, status: 'resolved' })).toBeNull();
    expect(planQuery('urgent', { ...NO_FILTERS, priority: 'normal' })).toBeNull();
    expect(planQuery('urgent', { ...NO_FILTERS, status: 'resolved' })).toBeNull();
  });

  it('asks the server for unresolved urgent issues in the Urgent view', () => {
    expect(planQuery('urgent', NO_FILTERS)).toEqual({ ...everything, priority: 'urgent', unresolved: true });
    expect(planQuery('urgent', { ...NO_FILTERS, status: 'in-progress' })).toMatchObject({ status: 'in-progress', unresolved: true });
  });

  it('asks for issues resolved since local midnight in Resolved today', () => {
    const now = new Date(2026, 2, 12, 15, 0);
    const query = planQuery('resolved-today', NO_FILTERS, now)!;
    expect(query.status).toBe('resolved');
    expect(query.resolved_since).toBe(new Date(2026, 2, 12, 0, 0).toISOString());
  });

  it('tells whether a changed issue still fits the view', () => {
    const urgent = planQuery('urgent', NO_FILTERS)!;
    expect(matchesQuery(issue(1, { priority: 'urgent', status: 'in-progress' }), urgent)).toBe(true);
    expect(matchesQuery(issue(1, { priority: 'urgent', status: 'resolved' }), urgent)).toBe(false);
    expect(matchesQuery(issue(1, { priority: 'high', status: 'open' }), urgent)).toBe(false);
    const now = new Date(2026, 2, 12, 15, 0);
    const today = planQuery('resolved-today', NO_FILTERS, now)!;
    expect(matchesQuery(issue(2, { status: 'resolved', resolved_at: new Date(2026, 2, 12, 9, 0).toISOString() }), today)).toBe(true);
    expect(matchesQuery(issue(2, { status: 'resolved', resolved_at: new Date(2026, 2, 11, 23, 0).toISOString() }), today)).toBe(false);
    expect(matchesQuery(issue(3, { status: 'open' }), planQuery('open', NO_FILTERS)!)).toBe(true);
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
