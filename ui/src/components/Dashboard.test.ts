import { emit } from '@tauri-apps/api/event';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Issue } from '../api';
import { Session } from '../lib/session.svelte';
import { agent, counts, detail, issue, page, updated } from '../test/fixtures';
import { argsOf, mockCommands, type Call, type Handlers } from '../test/ipc';
import Dashboard from './Dashboard.svelte';
import Toasts from './Toasts.svelte';

/** A desk whose list holds `rows()` (a query for one issue gets just that one). */
function backend(rows: () => Issue[], handlers: Handlers = {}): Call[] {
  return mockCommands(
    {
      list_issues: ({ query }) => page(rows().filter((i) => query.only === null || i.id === query.only)),
      view_counts: () => counts,
      daily_counts: () => [{ day: new Date().toISOString().slice(0, 10), issue_type: 'payment', count: 2 }],
      get_issue: ({ id }) => detail(rows().find((i) => i.id === id) ?? issue(id)),
      ...handlers,
    },
    { shouldMockEvents: true },
  );
}

const queries = (calls: Call[]) => argsOf(calls, 'list_issues').map((a) => a.query);

function mount() {
  return render(Dashboard, { session: new Session(), agent });
}

describe('dashboard list', () => {
  it('renders one row per issue from list_issues, with chips, type, order and age', async () => {
    backend(() => [
      issue(1, { name: 'Ada Lovelace', priority: 'urgent', issue_type: 'payment', order_id: 'CD-777' }),
      issue(30, { name: 'Grace Hopper', status: 'in-progress', due_at: new Date(Date.now() - 6.5 * 3_600_000).toISOString() }),
    ]);
    mount();
    const rows = await screen.findAllByTestId('issue-row');
    expect(rows.map((r) => r.dataset.issueId)).toEqual(['1', '30']);
    const first = within(rows[0]);
    expect(first.getByText('Ada Lovelace')).toBeTruthy();
    expect(first.getByText('Urgent')).toBeTruthy();
    expect(first.getByText('Open')).toBeTruthy();
    expect(first.getByText('Payment Issues')).toBeTruthy();
    expect(rows[0].textContent).toContain('💳');
    expect(rows[0].textContent).toContain('CD-777');
    expect(rows[0].querySelector('time')?.textContent).toMatch(/^(59 min|1 h)/);
    // its first response was due 6 h ago by the database's due time: red, and says so
    expect(rows[1].querySelector('time.late')?.textContent).toContain('overdue 6 h');
    expect(rows[0].querySelector('time.late')).toBeNull();
    expect(screen.getByTestId('count-open').textContent?.trim()).toBe('3');
    expect(screen.getByTestId('count-in-progress').textContent?.trim()).toBe('2');
    expect(screen.getByTestId('count-urgent').textContent?.trim()).toBe('1');
    expect(screen.getByTestId('count-resolved-today').textContent?.trim()).toBe('4');
    expect(screen.getByTestId('count-all').textContent?.trim()).toBe('42');
  });

  it('searches on the server once the agent pauses typing', async () => {
    const calls = backend(() => [issue(1)]);
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');
    expect(queries(calls)).toHaveLength(1);

    await user.type(screen.getByTestId('search'), 'ama');
    // nothing yet: still inside the debounce
    expect(queries(calls)).toHaveLength(1);
    await waitFor(() => expect(queries(calls)).toHaveLength(2), { timeout: 1500 });
    expect(queries(calls)[1]).toEqual({ view: 'all', filters: { status: null, priority: null, search: 'ama', owner: null }, only: null, cursor: null, limit: 50 });
    // one call for the whole word, none for "a" or "am"
    await new Promise((r) => setTimeout(r, 350));
    expect(queries(calls).map((q) => q.filters.search)).toEqual([null, 'ama']);
  });

  it('focuses the search with "/"', async () => {
    backend(() => [issue(1)]);
    mount();
    await screen.findAllByTestId('issue-row');
    await fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(screen.getByTestId('search'));
  });

  it('combines the filters with the rail view and clears them in one click', async () => {
    const calls = backend(() => [issue(1)]);
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');

    await user.selectOptions(screen.getByTestId('filter-priority'), 'high');
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ view: 'all', filters: { status: null, priority: 'high' } }));
    await user.click(screen.getByTestId('view-in-progress'));
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ view: 'in-progress', filters: { status: null, priority: 'high' } }));

    await user.click(screen.getByTestId('filters-clear'));
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ view: 'in-progress', filters: { status: null, priority: null, search: null } }));
    expect((screen.getByTestId('filter-priority') as HTMLSelectElement).value).toBe('');
  });

  it('loads the next page with the cursor', async () => {
    const next = { created_at: '2026-01-01T00:00:00Z', id: 2 };
    const calls = backend(() => [], {
      list_issues: ({ query }) => (query.cursor ? page([issue(3)]) : page([issue(1), issue(2)], next)),
    });
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(screen.getAllByTestId('issue-row')).toHaveLength(3));
    expect(queries(calls).at(-1)?.cursor).toEqual(next);
  });

  it('refreshes live on issue-created and marks the new row unread until opened', async () => {
    let rows = [issue(2)];
    const calls = backend(() => rows);
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');

    rows = [issue(1, { name: 'New Customer', priority: 'urgent' }), issue(2)];
    await emit('issue-created', { id: 1, priority: 'urgent', issue_type: 'not_received' });
    await waitFor(() => expect(screen.getAllByTestId('issue-row')).toHaveLength(2));
    const row = screen.getAllByTestId('issue-row')[0];
    expect(row.dataset.issueId).toBe('1');
    expect(row.dataset.unread).toBe('true');
    expect(argsOf(calls, 'view_counts').length).toBeGreaterThanOrEqual(2);

    await user.click(row.querySelector('.row-open')!);
    await screen.findByTestId('detail-name');
    expect(screen.getAllByTestId('issue-row')[0].dataset.unread).toBeUndefined();
  });

  it("follows another agent's change live: the open issue reloads and says who changed it", async () => {
    let stored = issue(4, { name: 'Grace Hopper' });
    const calls = backend(() => [stored]);
    const user = userEvent.setup();
    mount();
    render(Toasts);
    const row = await screen.findByTestId('issue-row');
    await user.click(row.querySelector('.row-open')!);
    await screen.findByTestId('detail-name');
    const loads = () => argsOf(calls, 'get_issue').length;
    const before = loads();

    // our own change is already on screen: nothing to reload
    await emit('issue-changed', { id: 4, deleted: false, by: agent.user, said: 'Issue #4: amina set status to in progress' });
    stored = { ...stored, status: 'in-progress', updated_at: new Date().toISOString() };
    await emit('issue-changed', { id: 4, deleted: false, by: 'jonas', said: 'Issue #4: jonas set status to in progress' });
    await waitFor(() => expect((screen.getByTestId('detail-status') as HTMLSelectElement).value).toBe('in-progress'));
    expect(loads()).toBe(before + 1);
    expect((await screen.findAllByTestId('toast')).map((t) => t.textContent).join()).toContain('Issue #4: jonas set status to in progress');
    await waitFor(() => expect(queries(calls).length).toBeGreaterThanOrEqual(2));
  });

  it("removes an issue another agent deleted, closing it if open", async () => {
    let stored = [issue(7), issue(8)];
    backend(() => stored);
    const user = userEvent.setup();
    mount();
    render(Toasts);
    const rows = await screen.findAllByTestId('issue-row');
    await user.click(rows[0].querySelector('.row-open')!);
    await screen.findByTestId('detail-name');
    stored = [issue(8)];
    await emit('issue-changed', { id: 7, deleted: true, by: 'jonas', said: 'Issue #7: jonas deleted the issue' });
    await waitFor(() => expect(screen.queryByTestId('detail-name')).toBeNull());
    expect(screen.getAllByTestId('issue-row').map((r) => r.dataset.issueId)).toEqual(['8']);
    expect((await screen.findAllByTestId('toast')).map((t) => t.textContent).join()).toContain('Issue #7: jonas deleted the issue');
  });

  it('shows the offline bar while the database is unreachable', async () => {
    backend(() => [issue(1)]);
    mount();
    await screen.findAllByTestId('issue-row');
    await emit('db-status', { online: false, message: 'connection refused' });
    const bar = await screen.findByTestId('offline-bar');
    expect(bar.textContent).toContain('Database unreachable — retrying…');
    expect(bar.textContent).toContain('connection refused');
    await emit('db-status', { online: true, message: null });
    await waitFor(() => expect(screen.queryByTestId('offline-bar')).toBeNull());
  });

  it('resolves from the row at once and says so', async () => {
    let stored = issue(5);
    const seen = stored.updated_at;
    const calls = backend(() => [stored], {
      update_issue: (args) => {
        stored = { ...stored, status: args.status ?? stored.status, updated_at: new Date().toISOString() };
        return updated(stored, 'Issue #5 resolved');
      },
    });
    const user = userEvent.setup();
    mount();
    render(Toasts);
    const row = (await screen.findAllByTestId('issue-row'))[0];
    await user.click(within(row).getByTestId('quick-resolve'));
    expect(argsOf(calls, 'update_issue')[0]).toEqual({
      id: 5,
      seen,
      status: 'resolved',
      priority: null,
      response: null,
      email: true,
    });
    await waitFor(() => expect(screen.getAllByTestId('issue-row')[0].dataset.status).toBe('resolved'));
    expect((await screen.findByTestId('toast')).textContent).toContain('Issue #5 resolved');
  });

  it("takes an issue from its row: the agent's, in progress, and the Mine count from the Rust side", async () => {
    let stored = issue(6);
    const seen = stored.updated_at;
    const calls = backend(() => [stored], {
      take_issue: () => {
        stored = { ...stored, owner: agent.user, status: 'in-progress', updated_at: new Date().toISOString() };
        return updated(stored, 'Issue #6 is yours and in progress');
      },
    });
    const user = userEvent.setup();
    mount();
    render(Toasts);
    await waitFor(() => expect(screen.getByTestId('count-mine').textContent?.trim()).toBe('5'));
    const row = (await screen.findAllByTestId('issue-row'))[0];
    await user.click(within(row).getByTestId('quick-take'));
    expect(argsOf(calls, 'take_issue')).toEqual([{ id: 6, seen }]);
    expect(argsOf(calls, 'update_issue')).toHaveLength(0);
    await waitFor(() => expect(within(screen.getAllByTestId('issue-row')[0]).getByTestId('row-owner').textContent).toBe(agent.user));
    expect((await screen.findByTestId('toast')).textContent).toContain('Issue #6 is yours and in progress');
  });

  it('filters by owner, with every agent the Rust side lists', async () => {
    const calls = backend(() => [issue(1)], { list_agents: () => ['amina', 'jonas'] });
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');
    const owner = screen.getByTestId('filter-owner') as HTMLSelectElement;
    await waitFor(() => expect([...owner.options].map((o) => o.value)).toEqual(['', 'me', 'nobody', 'agent:amina', 'agent:jonas']));
    await user.selectOptions(owner, 'agent:jonas');
    await waitFor(() => expect(queries(calls).at(-1)?.filters.owner).toEqual({ agent: 'jonas' }));
    await user.selectOptions(owner, 'nobody');
    await waitFor(() => expect(queries(calls).at(-1)?.filters.owner).toBe('nobody'));
    await user.click(screen.getByTestId('view-mine'));
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ view: 'mine', filters: { owner: 'nobody' } }));
  });

  it('moves with j/k, opens with Enter, goes back with Esc, and lists shortcuts with ?', async () => {
    backend(() => [issue(1, { name: 'First' }), issue(2, { name: 'Second' })]);
    const user = userEvent.setup();
    mount();
    await screen.findAllByTestId('issue-row');
    await user.keyboard('j');
    await user.keyboard('j');
    await user.keyboard('k');
    expect(document.activeElement?.closest('[data-testid="issue-row"]')?.getAttribute('data-issue-id')).toBe('1');
    await user.keyboard('j');
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('detail-name')).textContent).toBe('Second');
    await user.keyboard('r');
    expect(document.activeElement).toBe(screen.getByTestId('respond-text'));
    await user.keyboard('{Escape}');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('detail-name')).toBeNull());
    expect(document.activeElement?.closest('[data-testid="issue-row"]')?.getAttribute('data-issue-id')).toBe('2');
    await user.keyboard('?');
    expect(await screen.findByTestId('shortcuts')).toBeTruthy();
  });
});

describe('the customer side on the desk', () => {
  it("shows the satisfaction rate the Rust side counted, in its words", async () => {
    backend(() => [issue(1)], {
      satisfaction: () => ({ answers: 12, solved: 10, percent: 83, summary: '83% said it solved their problem (10 of 12, last 30 days)' }),
    });
    mount();
    const rate = await screen.findByTestId('satisfaction-rate');
    expect(rate.textContent).toBe('83% said it solved their problem (10 of 12, last 30 days)');
    expect(rate.dataset.percent).toBe('83');
  });

  it('reloads an open issue when its customer writes again, and says who wrote', async () => {
    let stored = issue(6, { status: 'resolved' });
    const calls = backend(() => [stored]);
    const user = userEvent.setup();
    mount();
    render(Toasts);
    await user.click((await screen.findByTestId('issue-row')).querySelector('.row-open')!);
    await screen.findByTestId('detail-name');
    const loads = () => argsOf(calls, 'get_issue').length;
    const before = loads();
    stored = { ...stored, status: 'open', updated_at: new Date().toISOString() };
    await emit('customer-wrote', {
      id: 6,
      priority: 'normal',
      name: 'Customer 6',
      text: 'It broke again.',
      at: new Date().toISOString(),
      summary: 'Customer 6 wrote again on issue #6',
    });
    await waitFor(() => expect((screen.getByTestId('detail-status') as HTMLSelectElement).value).toBe('open'));
    expect(loads()).toBeGreaterThan(before);
    expect((await screen.findAllByTestId('toast')).map((t) => t.textContent).join()).toContain('Customer 6 wrote again on issue #6');
  });
});
