import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { CommandError, IssueDetail as Detail } from '../api';
import { Desk } from '../lib/desk.svelte';
import { drafts } from '../lib/drafts.svelte';
import { savedReplies } from '../lib/replies.svelte';
import { agent, detail, issue, updated } from '../test/fixtures';
import { argsOf, mockCommands } from '../test/ipc';
import IssueDetail from './IssueDetail.svelte';
import Toasts from './Toasts.svelte';

function open(id: number, who = agent, agents: string[] = []) {
  const desk = new Desk();
  desk.pane.open(id);
  render(IssueDetail, { pane: desk.pane, agent: who, agents, onback: () => desk.pane.close() });
  render(Toasts);
  return desk;
}

describe('issue detail', () => {
  it('inserts a saved reply by keyboard: # and letters, arrows, Enter; the text stays editable', async () => {
    const calls = mockCommands({
      get_issue: () => detail(issue(91)),
      fill_reply: ({ reply_id }) => ({
        title: reply_id === 2 ? 'Refund on its way' : 'Parcel lost: refund or resend',
        text: reply_id === 2 ? 'Dear Customer 91, your refund is on its way.' : 'We lost it.',
        unfilled: [],
        said: 'Inserted “Refund on its way” into the response (not sent yet)',
      }),
    });
    savedReplies.list = [
      { id: 1, title: 'Parcel lost: refund or resend', body: 'We lost it.', updated_by: 'boss', updated_at: '2026-12-02T10:00:00Z' },
      { id: 2, title: 'Refund on its way', body: 'Dear {customer_name}, your refund is on its way.', updated_by: 'boss', updated_at: '2026-12-02T10:00:00Z' },
    ];
    const user = userEvent.setup();
    open(91);
    const box = (await screen.findByTestId('respond-text')) as HTMLTextAreaElement;
    await user.type(box, 'Hello! #ref');
    const options = await screen.findAllByTestId('reply-option');
    // the title that starts with the letters comes first
    expect(options.map((o) => o.textContent)).toEqual([expect.stringContaining('Refund on its way'), expect.stringContaining('Parcel lost')]);
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    await waitFor(() => expect(box.value).toBe('Hello! Dear Customer 91, your refund is on its way.'));
    expect(argsOf(calls, 'fill_reply')).toEqual([{ reply_id: 2, issue_id: 91 }]);
    expect(screen.queryByTestId('reply-picker')).toBeNull();
    expect((await screen.findByTestId('toast')).textContent).toContain('not sent yet');
    await user.type(box, ' Thanks!');
    expect(box.value).toBe('Hello! Dear Customer 91, your refund is on its way. Thanks!');
    // Escape keeps what was typed
    await user.type(box, ' #par');
    expect(await screen.findByTestId('reply-picker')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('reply-picker')).toBeNull();
    expect(box.value.endsWith('#par')).toBe(true);
    savedReplies.list = [];
  });

  it("lists the customer's other issues, each opened in place, and opens the shop's order page", async () => {
    const i = issue(12, { order_id: 'LL 7/1' });
    const calls = mockCommands({
      get_issue: ({ id }) =>
        id === 12
          ? {
              ...detail(i),
              history: [
                { id: 9, issue_type: 'refund', status: 'resolved', order_id: 'LL-9', created_at: '2026-11-01T10:00:00Z' },
                { id: 3, issue_type: 'damaged', status: 'open', order_id: null, created_at: '2026-10-01T10:00:00Z' },
              ],
              order_page: 'https://shop.example/orders/LL%207%2F1',
              duplicates: {
                repeats: { id: 9, matched: 'order_id', words: 'Possibly a repeat of #9 (the same order)' },
                repeated_by: [{ id: 14, matched: 'phone', words: '#14 may repeat this issue (the same phone number)' }],
              },
            }
          : detail(issue(id as number)),
      open_order_page: () => null,
    });
    const user = userEvent.setup();
    open(12);
    const items = await screen.findAllByTestId('history-item');
    expect(items.map((e) => e.dataset.issueId)).toEqual(['9', '3']);
    expect(items[0].textContent).toContain('Refund');
    expect(items[0].textContent).toContain('Resolved');
    const marks = screen.getAllByTestId('duplicate-link');
    expect(marks.map((m) => [m.dataset.issueId, m.textContent])).toEqual([
      ['9', 'Possibly a repeat of #9 (the same order)'],
      ['14', '#14 may repeat this issue (the same phone number)'],
    ]);
    await user.click(screen.getByTestId('detail-order-open'));
    expect(argsOf(calls, 'open_order_page')).toEqual([{ id: 12 }]);
    await user.click(items[1]);
    await waitFor(() => expect(screen.getByTestId('detail').dataset.issueId).toBe('3'));
    expect(await screen.findByTestId('history-empty')).toBeTruthy();
    // no order page in the profile: the order id is text
    expect(screen.queryByTestId('detail-order-open')).toBeNull();
  });

  it('merges into the marked duplicate, asks before merging two customers, and shows the kept issue', async () => {
    const merged = issue(14);
    const kept = issue(9, { name: 'Kept Customer' });
    const calls = mockCommands({
      get_issue: ({ id }) =>
        id === 14
          ? { ...detail(merged), duplicates: { repeats: { id: 9, matched: 'email', words: 'Possibly a repeat of #9 (the same email address)' }, repeated_by: [] } }
          : detail(issue(id as number, { status: 'resolved', merged_into: 9 })),
      merge_issue: ({ other_customer }) => {
        if (!other_customer) {
          throw {
            kind: 'invalid',
            message: 'Please correct the highlighted fields.',
            fields: { other_customer: ['Issues #14 and #9 are from different customers.'] },
          } satisfies CommandError;
        }
        return {
          detail: { ...detail(kept), timeline: [{ ...detail(merged).timeline[0], id: 7, summary: 'Customer reported #14 (merged into this issue later)' }] },
          said: 'Issue #14 merged into #9: resolved as merged',
        };
      },
    });
    const user = userEvent.setup();
    open(14);
    await user.click(await screen.findByTestId('detail-merge'));
    // the marked duplicate is where it goes unless the agent types another number
    expect((screen.getByTestId('merge-into') as HTMLInputElement).value).toBe('9');
    await user.click(screen.getByTestId('merge-save'));
    expect((await screen.findByTestId('merge-other-customer')).textContent).toContain('different customers');
    await user.click(screen.getByTestId('merge-anyway'));
    await waitFor(() => expect(screen.getByTestId('detail').dataset.issueId).toBe('9'));
    expect(argsOf(calls, 'merge_issue')).toEqual([
      { id: 14, into: 9, other_customer: false },
      { id: 14, into: 9, other_customer: true },
    ]);
    expect(screen.getByTestId('detail-name').textContent).toBe('Kept Customer');
    expect(screen.getByTestId('timeline-from').textContent).toBe('#14');
    expect(screen.queryByTestId('merge-dialog')).toBeNull();
    expect((await screen.findByTestId('toast')).textContent).toContain('merged into #9');
  });

  it('shows the customer, the issue and the contact links', async () => {
    const i = issue(12, { name: 'Ada Lovelace', email: 'ada@example.com', phone: '0151 2345678', order_id: 'CD-1', issue_type: 'damaged', priority: 'high' });
    mockCommands({ get_issue: () => detail(i) });
    open(12);
    expect((await screen.findByTestId('detail-name')).textContent).toBe('Ada Lovelace');
    expect(screen.getByTestId('detail-email').textContent).toBe('ada@example.com');
    expect(screen.getByTestId('detail-phone').textContent).toBe('0151 2345678');
    expect(screen.getByTestId('detail-order').textContent).toBe('CD-1');
    expect(screen.getByTestId('detail-type').textContent).toContain('💔 Damaged Packaging');
    expect((screen.getByTestId('detail-priority') as HTMLSelectElement).value).toBe('high');
    expect((screen.getByTestId('detail-status') as HTMLSelectElement).value).toBe('open');
    expect(screen.getByTestId('contact-call').dataset.href).toBe('tel:+491512345678');
    expect(screen.getByTestId('contact-call').textContent).toContain('+491512345678');
    expect(screen.getByTestId('contact-whatsapp').dataset.href).toBe('https://wa.me/491512345678?text=Hello');
    expect(screen.getByTestId('contact-email').dataset.href).toBe('mailto:ada@example.com?subject=Issue%2012&body=');
    expect(screen.getByTestId('contact-email').textContent).toContain('ada@example.com');
    expect(screen.getAllByTestId('timeline-event')[0].textContent).toContain('Customer reported the issue');
    // open → the response sets "in progress" by default
    expect((screen.getByTestId('respond-status') as HTMLSelectElement).value).toBe('in-progress');
    // not resolved: no delete
    expect(screen.queryByTestId('delete')).toBeNull();
  });

  it('renders the description as text, never as HTML', async () => {
    const text = 'Hello <img src=x onerror=alert(1)>\n<script>alert(2)</script>\nhttps://example.com';
    mockCommands({ get_issue: () => detail(issue(3, { description: text, name: '<b>Bold</b>' })) });
    open(3);
    const description = await screen.findByTestId('detail-description');
    expect(description.textContent).toBe(text);
    expect(description.querySelector('img')).toBeNull();
    expect(description.querySelector('script')).toBeNull();
    expect(description.querySelector('a')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByTestId('detail-name').textContent).toBe('<b>Bold</b>');
    expect(screen.getByTestId('detail-name').querySelector('b')).toBeNull();
  });

  it('changes the status in place with only that field', async () => {
    let current = issue(4);
    const calls = mockCommands({
      get_issue: () => detail(current),
      update_issue: (args) => {
        current = { ...current, status: args.status ?? current.status, updated_at: new Date(Date.now() + 1000).toISOString() };
        return updated(current, 'Issue #4 resolved');
      },
    });
    const seen = current.updated_at;
    const user = userEvent.setup();
    open(4);
    await user.selectOptions(await screen.findByTestId('detail-status'), 'resolved');
    expect(argsOf(calls, 'update_issue')[0]).toEqual({ id: 4, seen, status: 'resolved', priority: null, response: null, email: true });
    expect((await screen.findByTestId('toast')).textContent).toContain('Issue #4 resolved');
    expect((screen.getByTestId('detail-status') as HTMLSelectElement).value).toBe('resolved');
  });

  it('sends a response with the status, then clears the draft', async () => {
    let current = issue(8);
    const calls = mockCommands({
      get_issue: () => detail(current),
      update_issue: (args) => {
        current = { ...current, status: args.status ?? current.status, admin_response: args.response, updated_at: new Date(Date.now() + 1000).toISOString() };
        const d: Detail = detail(current);
        d.timeline.push({ id: 2, issue_id: 8, at: current.updated_at, actor: 'amina', kind: 'responded', detail: { response: args.response }, summary: 'amina responded', quote: args.response, internal: false });
        return { detail: d, said: 'Response saved; not emailed (no mail server configured) · issue #8 resolved' };
      },
    });
    const user = userEvent.setup();
    open(8);
    const box = await screen.findByTestId('respond-text');
    // no mailer delivers: the form says the response will not be emailed
    expect(screen.getByTestId('respond-no-mail').textContent).toContain('no mail server configured');
    expect(screen.queryByTestId('respond-email')).toBeNull();
    await user.type(box, 'We sent a new one.');
    await user.selectOptions(screen.getByTestId('respond-status'), 'resolved');
    await user.click(screen.getByTestId('respond-submit'));
    await waitFor(() => expect(argsOf(calls, 'update_issue')).toHaveLength(1));
    expect(argsOf(calls, 'update_issue')[0]).toMatchObject({ id: 8, status: 'resolved', priority: null, response: 'We sent a new one.', email: false });
    await waitFor(() => expect((screen.getByTestId('respond-text') as HTMLTextAreaElement).value).toBe(''));
    expect((await screen.findByTestId('toast')).textContent).toContain('Response saved; not emailed (no mail server configured)');
    const events = screen.getAllByTestId('timeline-event');
    expect(events.at(-1)?.textContent).toContain('amina responded');
    expect(events.at(-1)?.textContent).toContain('We sent a new one.');
  });

  it('emails a response by default while a mailer delivers, unless the agent says not', async () => {
    let current = issue(11);
    const withMail = (i: typeof current) => ({ ...detail(i), mail_available: true });
    const calls = mockCommands({
      get_issue: () => withMail(current),
      update_issue: (args) => {
        current = { ...current, admin_response: args.response, updated_at: new Date(Date.parse(current.updated_at) + 1000).toISOString() };
        return { detail: withMail(current), said: args.email ? 'Response saved and queued for email to the customer' : 'Response saved; not emailed (you chose not to)' };
      },
    });
    const user = userEvent.setup();
    open(11);
    const box = await screen.findByTestId('respond-text');
    const email = screen.getByTestId('respond-email') as HTMLInputElement;
    expect(email.checked).toBe(true);
    await user.type(box, 'Your parcel is on its way.');
    await user.click(screen.getByTestId('respond-submit'));
    await waitFor(() => expect(argsOf(calls, 'update_issue')).toHaveLength(1));
    expect(argsOf(calls, 'update_issue')[0]).toMatchObject({ response: 'Your parcel is on its way.', email: true });
    expect((await screen.findByTestId('toast')).textContent).toContain('queued for email');

    await user.type(screen.getByTestId('respond-text'), 'Only a note to file.');
    await user.click(screen.getByTestId('respond-email'));
    await user.click(screen.getByTestId('respond-submit'));
    await waitFor(() => expect(argsOf(calls, 'update_issue')).toHaveLength(2));
    expect(argsOf(calls, 'update_issue')[1]).toMatchObject({ response: 'Only a note to file.', email: false });
  });

  it('keeps the draft and shows the message on a conflict, and reloads', async () => {
    const conflict: CommandError = { kind: 'conflict', message: 'jonas set status to resolved at 14:02 after you opened it.', fields: null };
    const calls = mockCommands({
      get_issue: () => detail(issue(9)),
      update_issue: () => {
        throw conflict;
      },
    });
    const user = userEvent.setup();
    open(9);
    await user.type(await screen.findByTestId('respond-text'), 'My careful answer');
    await user.click(screen.getByTestId('respond-submit'));

    expect((await screen.findByTestId('conflict')).textContent).toContain(conflict.message);
    expect((await screen.findByTestId('toast')).textContent).toContain(conflict.message);
    expect((screen.getByTestId('respond-text') as HTMLTextAreaElement).value).toBe('My careful answer');
    expect(drafts.get(9)).toBe('My careful answer');
    await waitFor(() => expect(argsOf(calls, 'get_issue')).toHaveLength(2));
    drafts.clear();
  });

  it('shows field errors of an invalid answer next to the box', async () => {
    mockCommands({
      get_issue: () => detail(issue(10)),
      update_issue: () => {
        throw { kind: 'invalid', message: 'Check the response.', fields: { response: ['At most 5000 characters.'] } } satisfies CommandError;
      },
    });
    const user = userEvent.setup();
    open(10);
    await user.type(await screen.findByTestId('respond-text'), 'x');
    await user.click(screen.getByTestId('respond-submit'));
    expect(await screen.findByText('At most 5000 characters.')).toBeTruthy();
    expect((await screen.findByTestId('toast')).textContent).toContain('Check the response.');
    drafts.clear();
  });

  it('lets an admin delete a resolved issue after confirming', async () => {
    const resolved = issue(11, { status: 'resolved', resolved_at: new Date().toISOString() });
    const calls = mockCommands({ get_issue: () => detail(resolved) });
    const user = userEvent.setup();
    const desk = open(11);
    await user.click(await screen.findByTestId('delete'));
    await user.click(await screen.findByTestId('delete-confirm'));
    await waitFor(() => expect(argsOf(calls, 'delete_issue')[0]).toEqual({ id: 11, seen: resolved.updated_at }));
    await waitFor(() => expect(desk.pane.id).toBeNull());
    expect((await screen.findByTestId('toast')).textContent).toContain('Issue #11 deleted');
  });

  it('offers no delete to an agent who is not an admin', async () => {
    mockCommands({ get_issue: () => detail(issue(13, { status: 'resolved' })) });
    open(13, { ...agent, is_admin: false });
    await screen.findByTestId('detail-name');
    expect(screen.queryByTestId('delete')).toBeNull();
  });

  it('opens a contact through Rust with the draft', async () => {
    const calls = mockCommands({ get_issue: () => detail(issue(14)) });
    const user = userEvent.setup();
    open(14);
    await user.type(await screen.findByTestId('respond-text'), 'Hello there');
    await user.click(screen.getByTestId('contact-email'));
    await waitFor(() => expect(argsOf(calls, 'open_contact')[0]).toEqual({ id: 14, channel: 'email', draft: 'Hello there' }));
    drafts.clear();
  });

  it('runs changes one after another, each with the version the last one left', async () => {
    let current = issue(15);
    let version = 0;
    const calls = mockCommands({
      get_issue: () => detail(current),
      update_issue: async (args) => {
        if (args.seen !== current.updated_at) throw { kind: 'conflict', message: 'stale', fields: null };
        await new Promise((r) => setTimeout(r, 30));
        current = {
          ...current,
          priority: args.priority ?? current.priority,
          admin_response: args.response ?? current.admin_response,
          updated_at: new Date(Date.parse(current.updated_at) + ++version * 1000).toISOString(),
        };
        return updated(current);
      },
    });
    const desk = open(15);
    await screen.findByTestId('detail-name');
    const sent = desk.pane.respond('On its way', 'open', false);
    const changed = desk.pane.setPriority('urgent');
    expect(await sent).toBe(true);
    await changed;
    const updates = argsOf(calls, 'update_issue');
    expect(updates).toHaveLength(2);
    expect(updates[1].seen).not.toBe(updates[0].seen);
    expect(current.priority).toBe('urgent');
    expect(current.admin_response).toBe('On its way');
    expect(desk.pane.conflict).toBeNull();
  });

  it("never sends a version it loaded because of someone else's change: that conflicts", async () => {
    let current = issue(16);
    let version = 0;
    let jonasResponds = false;
    const calls = mockCommands({
      get_issue: () => {
        if (jonasResponds) {
          jonasResponds = false;
          current = { ...current, admin_response: 'From jonas', updated_at: new Date(Date.parse(current.updated_at) + 500).toISOString() };
        }
        return detail(current);
      },
      update_issue: async (args) => {
        if (args.seen !== current.updated_at) throw { kind: 'conflict', message: 'jonas responded', fields: null };
        await new Promise((r) => setTimeout(r, 30));
        current = {
          ...current,
          status: args.status ?? current.status,
          admin_response: args.response ?? current.admin_response,
          updated_at: new Date(Date.parse(current.updated_at) + ++version * 1000).toISOString(),
        };
        return updated(current);
      },
    });
    const desk = open(16);
    await screen.findByTestId('detail-name');
    // our status change is on the way when another agent responds (its live reload queues
    // behind ours), and the agent sends, still looking at the version before either change
    const ours = desk.pane.setStatus('in-progress');
    jonasResponds = true;
    desk.pane.refresh();
    const sent = desk.pane.respond('From amina', 'in-progress', false);
    await ours;
    expect(await sent).toBe(false);
    expect(current.admin_response).toBe('From jonas');
    expect(argsOf(calls, 'update_issue')).toHaveLength(2);
    await waitFor(() => expect(desk.pane.conflict).toBe('jonas responded'));
  });

  it("keeps the agent's chosen status through a live reload that did not change the status", async () => {
    let current = issue(17);
    mockCommands({ get_issue: () => detail(current) });
    const user = userEvent.setup();
    const desk = open(17);
    await screen.findByTestId('detail-name');
    const picked = () => (screen.getByTestId('respond-status') as HTMLSelectElement).value;
    await user.selectOptions(screen.getByTestId('respond-status'), 'resolved');
    current = { ...current, priority: 'high', updated_at: new Date(Date.parse(current.updated_at) + 1000).toISOString() };
    desk.pane.refresh();
    await waitFor(() => expect((screen.getByTestId('detail-priority') as HTMLSelectElement).value).toBe('high'));
    expect(picked()).toBe('resolved');
    current = { ...current, status: 'in-progress', updated_at: new Date(Date.parse(current.updated_at) + 1000).toISOString() };
    desk.pane.refresh();
    await waitFor(() => expect((screen.getByTestId('detail-status') as HTMLSelectElement).value).toBe('in-progress'));
    expect(picked()).toBe('in-progress');
  });

  it('adds an internal note with Ctrl+Enter, marks it internal and says the customer was not told', async () => {
    const current = issue(21);
    const calls = mockCommands({
      get_issue: () => detail(current),
      add_note: (args) => {
        const d: Detail = detail(current);
        d.timeline.push({ id: 2, issue_id: 21, at: current.updated_at, actor: 'amina', kind: 'note', detail: { text: args.text }, summary: 'amina added an internal note', quote: args.text, internal: true });
        return { detail: d, said: 'Internal note added to issue #21 (only agents see it; the customer was not told)' };
      },
    });
    const user = userEvent.setup();
    open(21);
    const box = await screen.findByTestId('note-text');
    await user.type(box, 'Courier says Tuesday.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(argsOf(calls, 'add_note')).toEqual([{ id: 21, text: 'Courier says Tuesday.' }]));
    expect(argsOf(calls, 'update_issue')).toHaveLength(0);
    await waitFor(() => expect((screen.getByTestId('note-text') as HTMLTextAreaElement).value).toBe(''));
    expect((await screen.findByTestId('toast')).textContent).toContain('the customer was not told');
    const last = screen.getAllByTestId('timeline-event').at(-1)!;
    expect(last.dataset.internal).toBe('true');
    expect(last.textContent).toContain('Internal');
    expect(last.textContent).toContain('Courier says Tuesday.');
    // the response box was left alone
    expect((screen.getByTestId('respond-text') as HTMLTextAreaElement).value).toBe('');
  });

  it('takes the issue and hands it to another agent, each with the version seen', async () => {
    let current = issue(23);
    const bump = (owner: string | null) => {
      current = { ...current, owner, status: 'in-progress', updated_at: new Date(Date.parse(current.updated_at) + 1000).toISOString() };
      return current;
    };
    const seen = current.updated_at;
    const calls = mockCommands({
      get_issue: () => detail(current),
      take_issue: () => updated(bump(agent.user), 'Issue #23 is yours and in progress'),
      assign_issue: (args) => updated(bump(args.owner), `Issue #23 handed to ${args.owner}`),
    });
    const user = userEvent.setup();
    open(23, agent, ['amina', 'jonas']);
    await user.click(await screen.findByTestId('detail-take'));
    expect(argsOf(calls, 'take_issue')).toEqual([{ id: 23, seen }]);
    await waitFor(() => expect((screen.getByTestId('detail-owner') as HTMLSelectElement).value).toBe('amina'));
    expect(screen.queryByTestId('detail-take')).toBeNull();
    const taken = current.updated_at;
    await user.selectOptions(screen.getByTestId('detail-owner'), 'jonas');
    expect(argsOf(calls, 'assign_issue')).toEqual([{ id: 23, seen: taken, owner: 'jonas' }]);
    expect((await screen.findAllByTestId('toast')).at(-1)?.textContent).toContain('Issue #23 handed to jonas');
    await waitFor(() => expect(screen.getByTestId('detail-take')).toBeTruthy());
  });

  it('keeps the note and shows the field error when the Rust side refuses it', async () => {
    const current = issue(22);
    mockCommands({
      get_issue: () => detail(current),
      add_note: () => {
        throw { kind: 'invalid', message: 'Please correct the highlighted fields (note).', fields: { note: ['The note is too long (10001 characters, at most 10000).'] } } satisfies CommandError;
      },
    });
    const user = userEvent.setup();
    open(22);
    const box = await screen.findByTestId('note-text');
    await user.type(box, 'Too long, says the server');
    await user.click(screen.getByTestId('note-submit'));
    expect(await screen.findByText('The note is too long (10001 characters, at most 10000).')).toBeTruthy();
    expect((screen.getByTestId('note-text') as HTMLTextAreaElement).value).toBe('Too long, says the server');
  });
});
