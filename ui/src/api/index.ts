// The one typed way from the UI to the Rust side: every Tauri command and event the
// desktop UI uses is wrapped here, so a renamed command or field breaks the build (the
// types in ./bindings are generated from the Rust types by ts-rs).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

import type { Agent } from './bindings/Agent';
import type { Channel } from './bindings/Channel';
import type { CommandError } from './bindings/CommandError';
import type { Counts } from './bindings/Counts';
import type { DailyCount } from './bindings/DailyCount';
import type { DbStatus } from './bindings/DbStatus';
import type { ErrorKind } from './bindings/ErrorKind';
import type { IssueChanged } from './bindings/IssueChanged';
import type { IssueCreated } from './bindings/IssueCreated';
import type { IssueDetail } from './bindings/IssueDetail';
import type { ListQuery } from './bindings/ListQuery';
import type { Page } from './bindings/Page';
import type { Priority } from './bindings/Priority';
import type { Settings } from './bindings/Settings';
import type { SignInRequest } from './bindings/SignInRequest';
import type { Status } from './bindings/Status';

export type { Agent } from './bindings/Agent';
export type { CommandError } from './bindings/CommandError';
export type { ContactLinks } from './bindings/ContactLinks';
export type { Counts } from './bindings/Counts';
export type { Cursor } from './bindings/Cursor';
export type { DailyCount } from './bindings/DailyCount';
export type { DbStatus } from './bindings/DbStatus';
export type { ErrorKind } from './bindings/ErrorKind';
export type { Event as TimelineEvent } from './bindings/Event';
export type { Issue } from './bindings/Issue';
export type { IssueChanged } from './bindings/IssueChanged';
export type { IssueCreated } from './bindings/IssueCreated';
export type { IssueDetail } from './bindings/IssueDetail';
export type { IssueType } from './bindings/IssueType';
export type { ListQuery } from './bindings/ListQuery';
export type { NotifyLevel } from './bindings/NotifyLevel';
export type { Page } from './bindings/Page';
export type { Priority } from './bindings/Priority';
export type { Settings } from './bindings/Settings';
export type { SignInRequest } from './bindings/SignInRequest';
export type { Status } from './bindings/Status';
export type { Theme } from './bindings/Theme';

/** The ways `open_contact` can reach a customer. */
export type ContactChannel = Channel;

/** The page size the dashboard asks for. */
export const PAGE_SIZE = 50;

/** Names of the events the Rust side emits. */
export const EVENTS = {
  issueCreated: 'issue-created',
  issueChanged: 'issue-changed',
  dbStatus: 'db-status',
} as const;

const ERROR_KINDS: readonly ErrorKind[] = [
  'invalid',
  'not_found',
  'conflict',
  'not_resolved',
  'permission_denied',
  'unavailable',
  'wrong_password',
  'unreachable',
  'not_an_agent',
  'not_signed_in',
  'internal',
];

/** True for a value shaped like the Rust side's `CommandError`. */
export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === 'string' && typeof v.message === 'string';
}

/**
 * Whatever a command rejected with, as a `CommandError`. A command error from Rust comes
 * through unchanged; anything else (IPC failure, unknown command: Tauri rejects those with
 * a plain string) becomes an `internal` error with that text.
 */
export function toCommandError(value: unknown): CommandError {
  if (isCommandError(value)) {
    const kind = (ERROR_KINDS as readonly string[]).includes(value.kind) ? value.kind : 'internal';
    return { kind, message: value.message, fields: value.fields ?? null };
  }
  const message =
    typeof value === 'string'
      ? value
      : value instanceof Error
        ? value.message
        : 'Something went wrong talking to CareDesk.';
  return { kind: 'internal', message: message || 'Something went wrong.', fields: null };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
}

/** What `update_issue` may change; `null` leaves a field as it is. */
export type IssueChange = {
  status: Status | null;
  priority: Priority | null;
  response: string | null;
};

export const api = {
  signIn: (request: SignInRequest) => call<Agent>('sign_in', { request }),
  resumeSession: () => call<Agent | null>('resume_session'),
  signOut: () => call<null>('sign_out'),

  listIssues: (query: ListQuery) => call<Page>('list_issues', { query }),
  issueCounts: () => call<Counts>('issue_counts'),
  dailyCounts: (days: number) => call<DailyCount[]>('daily_counts', { days }),

  getIssue: (id: number) => call<IssueDetail>('get_issue', { id }),
  /** `seen` is the `updated_at` of the issue as the agent saw it (the version). */
  updateIssue: (id: number, seen: string, change: IssueChange) =>
    call<IssueDetail>('update_issue', {
      id,
      seen,
      status: change.status,
      priority: change.priority,
      response: change.response,
    }),
  deleteIssue: (id: number, seen: string) => call<null>('delete_issue', { id, seen }),
  openContact: (id: number, channel: ContactChannel, draft: string) =>
    call<null>('open_contact', { id, channel, draft }),

  getSettings: () => call<Settings>('get_settings'),
  saveSettings: (settings: Settings) => call<Settings>('save_settings', { settings }),
};

export type Api = typeof api;

/** A new issue was reported (NOTIFY from the database, forwarded by Rust). */
export function onIssueCreated(handler: (issue: IssueCreated) => void): Promise<UnlistenFn> {
  return listen<IssueCreated>(EVENTS.issueCreated, (event) => handler(event.payload));
}

/** An issue was changed or deleted, by this agent or another (`by` names the login). */
export function onIssueChanged(handler: (change: IssueChanged) => void): Promise<UnlistenFn> {
  return listen<IssueChanged>(EVENTS.issueChanged, (event) => handler(event.payload));
}

/** The database connection went away or came back. */
export function onDbStatus(handler: (status: DbStatus) => void): Promise<UnlistenFn> {
  return listen<DbStatus>(EVENTS.dbStatus, (event) => handler(event.payload));
}
