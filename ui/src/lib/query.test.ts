import { describe, expect, it } from 'vitest';

import { issue } from '../test/fixtures';
import { hasFilters, mergeFirstPage, NO_FILTERS, planQuery } from './query';

describe('planQuery', () => {
  it('asks for everything in the All view', () => {
    expect(planQuery('all', NO_FILTERS)).toEqual({
      query: { status: null, priority: null, search: null, cursor: null, limit: 50 },
      keep: null,
    });
  });

  it('combines the view with the filters and the search', () => {
    const plan = planQuery('open', { status: '', priority: 'urgent', search: '  ama ' });
    expect(plan?.query).toEqual({ status: 'open', priority: 'urgent', search: 'ama', cursor: null, limit: 50 });
    expect(planQuery('all', { status: 'resolved', priority: 'high', search: '' })?.query).toMatchObject({ status: 'resolved', priority: 'high' });
  });

  it('asks nothing when the view and the filters exclude each other', () => {
    expect(planQuery('open', { ...NO_FILTERS, status: 'resolved' })).toBeNull();
    expect(planQuery('urgent', { ...NO_FILTERS, priority: 'normal' })).toBeNull();
    expect(planQuery('urgent', { ...NO_FILTERS, status: 'resolved' })).toBeNull();
  });

  it('keeps only unresolved issues in the Urgent view', () => {
    const plan = planQuery('urgent', NO_FILTERS)!;
    expect(plan.query).toMatchObject({ status: null, priority: 'urgent' });
    expect(plan.keep!(issue(1, { priority: 'urgent', status: 'open' }))).toBe(true);
    expect(plan.keep!(issue(2, { priority: 'urgent', status: 'resolved' }))).toBe(false);
  });

  it('keeps only issues resolved since local midnight in Resolved today', () => {
    const now = new Date(2026, 2, 12, 15, 0);
    const plan = planQuery('resolved-today', NO_FILTERS, now)!;
    expect(plan.query.status).toBe('resolved');
    const today = new Date(2026, 2, 12, 9, 0).toISOString();
    const yesterday = new Date(2026, 2, 11, 23, 0).toISOString();
    expect(plan.keep!(issue(1, { status: 'resolved', resolved_at: today }))).toBe(true);
    expect(plan.keep!(issue(2, { status: 'resolved', resolved_at: yesterday }))).toBe(false);
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
