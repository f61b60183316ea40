// The one way from the UI to the Rust side. The commands, their arguments and answers, the
// events and the error kinds are all generated from Rust (./generated/desk.ts, with the
// types in ./bindings): a renamed command, argument, event or field breaks the build.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

import type { CommandError } from './bindings/CommandError';
import { commandsVia, ERROR_KINDS, type Commands, type Events } from './generated/desk';

export type { Agent } from './bindings/Agent';
export type { Channel as ContactChannel } from './bindings/Channel';
export type { CommandError } from './bindings/CommandError';
export type { ConnectionSecurity } from './bindings/ConnectionSecurity';
export type { ContactLinks } from './bindings/ContactLinks';
export type { Cursor } from './bindings/Cursor';
export type { DailyCount } from './bindings/DailyCount';
export type { DbStatus } from './bindings/DbStatus';
export type { ErrorKind } from './bindings/ErrorKind';
export type { Event as TimelineEvent } from './bindings/Event';
export type { Filters } from './bindings/Filters';
export type { Issue } from './bindings/Issue';
export type { IssueChanged } from './bindings/IssueChanged';
export type { IssueCreated } from './bindings/IssueCreated';
export type { IssueDetail } from './bindings/IssueDetail';
export type { IssueUpdated } from './bindings/IssueUpdated';
export type { ConnectionChoices } from './bindings/ConnectionChoices';
export type { CustomerRecords } from './bindings/CustomerRecords';
export type { CustomerWrote } from './bindings/CustomerWrote';
export type { MatchBy } from './bindings/MatchBy';
export type { IssueType } from './bindings/IssueType';
export type { NotifyLevel } from './bindings/NotifyLevel';
export type { OtherIssue } from './bindings/OtherIssue';
export type { TeamChanged } from './bindings/TeamChanged';
export type { TeamMember } from './bindings/TeamMember';
export type { OwnerFilter } from './bindings/OwnerFilter';
export type { FullPhoto } from './bindings/FullPhoto';
export type { PhotoInfo } from './bindings/PhotoInfo';
export type { FilledReply } from './bindings/FilledReply';
export type { Placeholder } from './bindings/Placeholder';
export type { Priority } from './bindings/Priority';
export type { RepliesChanged } from './bindings/RepliesChanged';
export type { RemindEvery } from './bindings/RemindEvery';
export type { ResponseTimes } from './bindings/ResponseTimes';
export type { Satisfaction } from './bindings/Satisfaction';
export type { SavedReply } from './bindings/SavedReply';
export type { Settings } from './bindings/Settings';
export type { SignInRequest } from './bindings/SignInRequest';
export type { Status } from './bindings/Status';
export type { Theme } from './bindings/Theme';
export type { View } from './bindings/View';
export type { ViewCount } from './bindings/ViewCount';
export type { ViewPage } from './bindings/ViewPage';
export type { ViewQuery } from './bindings/ViewQuery';
export type { Commands, Events } from './generated/desk';
export { CONNECTION_SECURITY, DEFAULT_SETTINGS, ISSUE_TYPES, LIMITS, NOTIFY_LEVELS, PLACEHOLDERS, PRIORITIES, REMINDERS, STATUSES, THEMES, VIEWS, type Choice } from './generated/desk';

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
    const kind = ERROR_KINDS.includes(value.kind) ? value.kind : 'internal';
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

/**
 * Calls one command; a failure always rejects with a `CommandError`. Each call leaves a
 * User Timing measure ("command list_issues"), which the desktop benchmark reads.
 */
async function call<K extends keyof Commands>(command: K, args: Commands[K]['args']): Promise<Commands[K]['returns']> {
  const start = performance.now();
  try {
    return await invoke<Commands[K]['returns']>(command, args);
  } catch (error) {
    throw toCommandError(error);
  } finally {
    performance.measure(`command ${command}`, { start });
  }
}

/** Every command as a typed function, generated from the Rust side's command table. */
export const api = commandsVia(call);

export type Api = typeof api;

/** Listens to one of the events the Rust side emits; resolves to the way to stop. */
export function on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {
  return listen<Events[K]>(event, (e) => handler(e.payload));
}
