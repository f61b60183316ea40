import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import App from '../App.svelte';
import type { Agent, Commands, CommandError } from '../api';
import { counts, issue, page, settings } from '../test/fixtures';
import { argsOf, mockCommands, type Call } from '../test/ipc';

function backend(signIn: (args: Commands['sign_in']['args']) => Agent): Call[] {
  return mockCommands({
    resume_session: () => null,
    get_settings: () => ({ ...settings, last_host: 'db.example', last_port: 5433, last_user: 'amina' }),
    sign_in: signIn,
    connection_choices: ({ host }) =>
      host === 'localhost' ? { offered: ['verified', 'encrypted', 'none'], suggested: 'none' } : { offered: ['verified', 'encrypted'], suggested: 'verified' },
    list_issues: () => page([issue(1), issue(2)]),
    view_counts: () => counts,
    daily_counts: () => [],
  });
}

describe('sign-in', () => {
  it('starts prefilled from the settings when no session resumes', async () => {
    backend(() => {
      throw new Error('no sign-in in this test');
    });
    render(App);
    expect(await screen.findByTestId('login-host')).toHaveProperty('value', 'db.example');
    expect(screen.getByTestId('login-port')).toHaveProperty('value', '5433');
    expect(screen.getByTestId('login-database')).toHaveProperty('value', 'caredesk');
    expect(screen.getByTestId('login-user')).toHaveProperty('value', 'amina');
    expect(screen.getByTestId('login-remember')).toHaveProperty('checked', true);
    expect(screen.queryByTestId('login-error')).toBeNull();
  });

  it('shows the message of a rejected sign_in in login-error', async () => {
    const calls = backend(() => {
      throw { kind: 'wrong_password', message: 'Wrong password for amina.', fields: null } satisfies CommandError;
    });
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByTestId('login-password'), 'nope');
    await user.click(screen.getByTestId('login-remember'));
    await user.click(screen.getByTestId('login-submit'));

    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toBe('Wrong password for amina.');
    expect(argsOf(calls, 'sign_in')[0]).toEqual({
      request: { host: 'db.example', port: 5433, database: 'caredesk', user: 'amina', password: 'nope', remember: false, security: 'verified', ca_file: null },
    });
    // still on the sign-in screen, password cleared for another try
    expect(screen.getByTestId('login-password')).toHaveProperty('value', '');
  });

  it('asks how the connection is secured and says what each choice means', async () => {
    const calls = backend(({ request }) => ({ user: request.user, is_admin: false, host: request.host, port: request.port, database: request.database }));
    const user = userEvent.setup();
    render(App);
    const security = (await screen.findByTestId('login-security')) as HTMLSelectElement;
    // the last choice was "none", which another host does not allow
    await waitFor(() => expect(security.value).toBe('verified'));
    const allowed = () => [...security.options].filter((o) => !o.disabled).map((o) => o.value);
    expect(allowed()).toEqual(['verified', 'encrypted']);
    const host = screen.getByTestId('login-host');
    await user.clear(host);
    await user.type(host, 'localhost');
    await user.tab();
    await waitFor(() => expect(allowed()).toEqual(['verified', 'encrypted', 'none']));
    await user.selectOptions(security, 'none');
    expect(screen.queryByTestId('login-ca-file')).toBeNull();
    await user.clear(host);
    await user.type(host, 'db.example');
    await user.tab();
    await waitFor(() => expect(security.value).toBe('verified'));
    await user.selectOptions(security, 'encrypted');
    expect(screen.getByTestId('login-security-note').textContent).toMatch(/pose as the server/);
    await user.selectOptions(security, 'verified');
    await user.type(screen.getByTestId('login-ca-file'), ' /etc/caredesk/ca.crt ');
    await user.type(screen.getByTestId('login-password'), 'secret');
    await user.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(argsOf(calls, 'sign_in')).toHaveLength(1));
    expect(argsOf(calls, 'sign_in')[0].request).toMatchObject({ security: 'verified', ca_file: '/etc/caredesk/ca.crt' });
  });

  it("takes the CA file picked in the system's dialog, and keeps the path when the dialog is closed", async () => {
    let picked: string | null = '/home/amina/shop-ca.crt';
    const calls = mockCommands({
      resume_session: () => null,
      get_settings: () => ({ ...settings, last_host: 'db.example' }),
      connection_choices: () => ({ offered: ['verified', 'encrypted'], suggested: 'verified' }),
      choose_ca_file: () => picked,
    });
    const user = userEvent.setup();
    render(App);
    const path = (await screen.findByTestId('login-ca-file')) as HTMLInputElement;
    await user.click(screen.getByTestId('login-ca-choose'));
    await waitFor(() => expect(path.value).toBe('/home/amina/shop-ca.crt'));
    picked = null;
    await user.click(screen.getByTestId('login-ca-choose'));
    await waitFor(() => expect(argsOf(calls, 'choose_ca_file')).toHaveLength(2));
    expect(path.value).toBe('/home/amina/shop-ca.crt');
  });

  it('says so when the server cannot be reached or the login is no agent', async () => {
    let answer: CommandError = { kind: 'unreachable', message: 'Could not reach db.example:5433.', fields: null };
    backend(() => {
      throw answer;
    });
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByTestId('login-password'), 'pw');
    await user.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('Could not reach db.example:5433.');

    answer = { kind: 'not_an_agent', message: 'amina is not a CareDesk agent.', fields: null };
    await user.type(screen.getByTestId('login-password'), 'pw');
    await user.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('amina is not a CareDesk agent.'));
  });

  it('opens the dashboard after signing in', async () => {
    backend(({ request }) => ({ user: request.user, is_admin: false, host: request.host, port: request.port, database: request.database }));
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByTestId('login-password'), 'secret');
    await user.click(screen.getByTestId('login-submit'));
    expect(await screen.findAllByTestId('issue-row')).toHaveLength(2);
    expect(screen.getByTestId('count-all').textContent?.trim()).toBe('42');
    expect(screen.queryByTestId('login-submit')).toBeNull();
  });

  it('goes straight to the dashboard when the session resumes', async () => {
    mockCommands({
      resume_session: () => ({ user: 'jonas', is_admin: false, host: 'h', port: 5432, database: 'caredesk' }),
      get_settings: () => settings,
      list_issues: () => page([issue(3)]),
      view_counts: () => counts,
      daily_counts: () => [],
    });
    render(App);
    expect(await screen.findAllByTestId('issue-row')).toHaveLength(1);
    expect(screen.getByTestId('agent-user').textContent).toContain('jonas');
  });
});
