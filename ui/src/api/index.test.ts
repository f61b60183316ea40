import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';

import { api, isCommandError, on, toCommandError, type CommandError, type ViewQuery } from './index';
import { COMMAND_NAMES } from './generated/desk';
import { agent, detail, issue, settings, updated } from '../test/fixtures';

type Call = { cmd: string; args: unknown };

function record(answer: (cmd: string, args: unknown) => unknown = () => null): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    return answer(cmd, args);
  });
  return calls;
}

describe('api', () => {
  it('passes the command names and arguments the Rust side expects', async () => {
    const calls = record((cmd) => {
      if (cmd === 'get_issue') return detail(issue(7));
      if (cmd === 'update_issue') return updated(issue(7));
      return null;
    });
    const request = { host: 'db', port: 5433, database: 'cd', user: 'amina', password: 'pw', remember: true, security: 'verified' as const, ca_file: '/etc/caredesk/ca.crt' };
    await api.signIn(request);
    await api.resumeSession();
    await api.signOut();
    await api.connectionChoices('db.example');
    await api.chooseCaFile();
    const query: ViewQuery = {
      view: 'open',
      filters: { status: null, priority: 'high', search: 'ama', owner: { agent: 'jonas' } },
      only: null,
      cursor: { created_at: '2026-01-01T00:00:00Z', id: 3 },
      limit: 50,
    };
    await api.listIssues(query);
    await api.viewCounts();
    await api.dailyCounts(14);
    await api.satisfaction();
    await api.responseTimes();
    await api.getIssue(7);
    await api.updateIssue(7, '2026-01-02T00:00:00Z', 'resolved', null, 'Done', true);
    await api.takeIssue(7, '2026-01-02T00:00:00Z');
    await api.assignIssue(7, '2026-01-02T00:00:00Z', 'jonas');
    await api.listAgents();
    await api.addNote(7, 'Courier says Tuesday.');
    await api.mergeIssue(7, 3, false);
    await api.deleteIssue(7, '2026-01-02T00:00:00Z');
    await api.photo(41);
    await api.savePhoto(41);
    await api.customerRecords(7, 'email');
    await api.exportCustomer(7, 'phone');
    await api.eraseCustomer(7, 'email');
    await api.listReplies();
    await api.saveReply(null, 'Refund', 'Hello {customer_name}');
    await api.deleteReply(3);
    await api.fillReply(3, 7);
    await api.openContact(7, 'whatsapp', 'Hi');
    await api.openOrderPage(7);
    await api.listTeam();
    await api.addAgent('jonas', null, false);
    await api.setAgentEnabled('jonas', false);
    await api.resetAgentPassword('jonas', 'a long new password');
    await api.setAgentAdmin('jonas', true);
    await api.changeOwnPassword('my own new password');
    await api.getSettings();
    await api.saveSettings(settings);

    expect(calls).toEqual([
      { cmd: 'sign_in', args: { request } },
      { cmd: 'resume_session', args: {} },
      { cmd: 'sign_out', args: {} },
      { cmd: 'connection_choices', args: { host: 'db.example' } },
      { cmd: 'choose_ca_file', args: {} },
      { cmd: 'list_issues', args: { query } },
      { cmd: 'view_counts', args: {} },
      { cmd: 'daily_counts', args: { days: 14 } },
      { cmd: 'satisfaction', args: {} },
      { cmd: 'response_times', args: {} },
      { cmd: 'get_issue', args: { id: 7 } },
      { cmd: 'update_issue', args: { id: 7, seen: '2026-01-02T00:00:00Z', status: 'resolved', priority: null, response: 'Done', email: true } },
      { cmd: 'take_issue', args: { id: 7, seen: '2026-01-02T00:00:00Z' } },
      { cmd: 'assign_issue', args: { id: 7, seen: '2026-01-02T00:00:00Z', owner: 'jonas' } },
      { cmd: 'list_agents', args: {} },
      { cmd: 'add_note', args: { id: 7, text: 'Courier says Tuesday.' } },
      { cmd: 'merge_issue', args: { id: 7, into: 3, other_customer: false } },
      { cmd: 'delete_issue', args: { id: 7, seen: '2026-01-02T00:00:00Z' } },
      { cmd: 'photo', args: { id: 41 } },
      { cmd: 'save_photo', args: { id: 41 } },
      { cmd: 'customer_records', args: { issue_id: 7, by: 'email' } },
      { cmd: 'export_customer', args: { issue_id: 7, by: 'phone' } },
      { cmd: 'erase_customer', args: { issue_id: 7, by: 'email' } },
      { cmd: 'list_replies', args: {} },
      { cmd: 'save_reply', args: { id: null, title: 'Refund', body: 'Hello {customer_name}' } },
      { cmd: 'delete_reply', args: { id: 3 } },
      { cmd: 'fill_reply', args: { reply_id: 3, issue_id: 7 } },
      { cmd: 'open_contact', args: { id: 7, channel: 'whatsapp', draft: 'Hi' } },
      { cmd: 'open_order_page', args: { id: 7 } },
      { cmd: 'list_team', args: {} },
      { cmd: 'add_agent', args: { login: 'jonas', password: null, admin: false } },
      { cmd: 'set_agent_enabled', args: { login: 'jonas', enabled: false } },
      { cmd: 'reset_agent_password', args: { login: 'jonas', password: 'a long new password' } },
      { cmd: 'set_agent_admin', args: { login: 'jonas', admin: true } },
      { cmd: 'change_own_password', args: { password: 'my own new password' } },
      { cmd: 'get_settings', args: {} },
      { cmd: 'save_settings', args: { settings } },
    ]);
    expect(calls.map((c) => c.cmd)).toEqual([...COMMAND_NAMES]);
  });

  it('resolves with what the command returns', async () => {
    record((cmd) => (cmd === 'resume_session' ? agent : null));
    await expect(api.resumeSession()).resolves.toEqual(agent);
  });

  it('surfaces a CommandError unchanged', async () => {
    const error: CommandError = { kind: 'invalid', message: 'Check the response.', fields: { response: ['Too long.'] } };
    mockIPC(() => {
      throw error;
    });
    await expect(api.updateIssue(1, 'x', null, null, 'x', false)).rejects.toEqual(error);
  });

  it('turns a plain rejection into an internal CommandError', async () => {
    mockIPC(() => {
      throw 'Command list_issues not found';
    });
    const rejected = await api.viewCounts().catch((e: unknown) => e);
    expect(isCommandError(rejected)).toBe(true);
    expect(rejected).toEqual({ kind: 'internal', message: 'Command list_issues not found', fields: null });
  });

  it('normalises odd error shapes', () => {
    expect(toCommandError({ kind: 'conflict', message: 'jonas resolved it' })).toEqual({ kind: 'conflict', message: 'jonas resolved it', fields: null });
    expect(toCommandError({ kind: 'brand_new', message: 'x', fields: null }).kind).toBe('internal');
    expect(toCommandError(new Error('boom'))).toEqual({ kind: 'internal', message: 'boom', fields: null });
    expect(toCommandError(undefined).kind).toBe('internal');
  });

  it('listens to issue-created, issue-changed and db-status', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const created: unknown[] = [];
    const changed: unknown[] = [];
    const statuses: unknown[] = [];
    const stop1 = await on('issue-created', (p) => created.push(p));
    const stop2 = await on('db-status', (p) => statuses.push(p));
    const stop3 = await on('issue-changed', (p) => changed.push(p));
    await emit('issue-created', { id: 9, priority: 'urgent', issue_type: 'payment' });
    await emit('issue-changed', { id: 9, deleted: false, by: 'jonas' });
    await emit('db-status', { online: false, message: 'connection refused' });
    expect(created).toEqual([{ id: 9, priority: 'urgent', issue_type: 'payment' }]);
    expect(changed).toEqual([{ id: 9, deleted: false, by: 'jonas' }]);
    expect(statuses).toEqual([{ online: false, message: 'connection refused' }]);
    stop1();
    stop2();
    stop3();
  });
});
