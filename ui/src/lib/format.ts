// Labels, icons, ages and dates as the agent sees them. Plain functions (no DOM, no
// state) so they are easy to test; times are stored in UTC and shown in local time.
import type { IssueType, NotifyLevel, Priority, Status, Theme, TimelineEvent } from '../api';

export const ISSUE_TYPES: readonly IssueType[] = [
  'not_received',
  'quality',
  'wrong_item',
  'damaged',
  'payment',
  'refund',
  'app',
  'other',
];
export const PRIORITIES: readonly Priority[] = ['normal', 'high', 'urgent'];
export const STATUSES: readonly Status[] = ['open', 'in-progress', 'resolved'];

const TYPE_INFO: Record<IssueType, { label: string; icon: string }> = {
  not_received: { label: 'Order Not Received', icon: '📦' },
  quality: { label: 'Product Quality Issue', icon: '⚠️' },
  wrong_item: { label: 'Wrong Item Delivered', icon: '❌' },
  damaged: { label: 'Damaged Packaging', icon: '💔' },
  payment: { label: 'Payment Issues', icon: '💳' },
  refund: { label: 'Refund/Return Query', icon: '💰' },
  app: { label: 'App/Website Issues', icon: '📱' },
  other: { label: 'Other Issues', icon: '❓' },
};

const PRIORITY_INFO: Record<Priority, { label: string; icon: string }> = {
  normal: { label: 'Normal', icon: '🔵' },
  high: { label: 'High', icon: '🟠' },
  urgent: { label: 'Urgent', icon: '🔴' },
};

const STATUS_INFO: Record<Status, { label: string; icon: string }> = {
  open: { label: 'Open', icon: '🔴' },
  'in-progress': { label: 'In progress', icon: '🟡' },
  resolved: { label: 'Resolved', icon: '🟢' },
};

export const typeLabel = (t: IssueType): string => TYPE_INFO[t]?.label ?? String(t);
export const typeIcon = (t: IssueType): string => TYPE_INFO[t]?.icon ?? '❓';
export const priorityLabel = (p: Priority): string => PRIORITY_INFO[p]?.label ?? String(p);
export const priorityIcon = (p: Priority): string => PRIORITY_INFO[p]?.icon ?? '🔵';
export const statusLabel = (s: Status): string => STATUS_INFO[s]?.label ?? String(s);
export const statusIcon = (s: Status): string => STATUS_INFO[s]?.icon ?? '🔴';

export const NOTIFY_LEVELS: readonly { value: NotifyLevel; label: string }[] = [
  { value: 'urgent', label: 'Urgent issues only' },
  { value: 'high_and_urgent', label: 'High and urgent issues' },
  { value: 'none', label: 'No notifications' },
];

export const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Hours after which an unresolved issue's age turns amber, and red (the seed's promise). */
export const AGE_WARN_HOURS = 12;
export const AGE_LATE_HOURS = 24;

/**
 * Milliseconds of an RFC 3339 time from Rust. Rust sends microseconds ("…:05.123456Z");
 * some WebKit versions parse only three fraction digits, so the rest is dropped first.
 */
export function parseTime(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

function toMillis(time: string | Date | number): number {
  if (typeof time === 'number') return time;
  if (time instanceof Date) return time.getTime();
  return parseTime(time);
}

/** A short age: "now", "5 min", "3 h", "2 d". */
export function formatAge(since: string | Date | number, now: Date | number = Date.now()): string {
  const ms = Math.max(0, toMillis(now) - toMillis(since));
  if (Number.isNaN(ms)) return '';
  if (ms < MINUTE) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/** The age written out for screen readers and tooltips: "3 hours old". */
export function formatAgeLong(since: string | Date | number, now: Date | number = Date.now()): string {
  const ms = Math.max(0, toMillis(now) - toMillis(since));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} old`;
  if (ms < MINUTE) return 'just reported';
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  return plural(Math.floor(ms / DAY), 'day');
}

export type AgeTone = 'fresh' | 'warn' | 'late' | 'done';

/**
 * How urgent the age looks: amber past 12 h, red past 24 h, while the issue is not
 * resolved; a resolved issue's age is calm whatever it is.
 */
export function ageTone(since: string | Date | number, status: Status, now: Date | number = Date.now()): AgeTone {
  if (status === 'resolved') return 'done';
  const ms = toMillis(now) - toMillis(since);
  if (ms > AGE_LATE_HOURS * HOUR) return 'late';
  if (ms > AGE_WARN_HOURS * HOUR) return 'warn';
  return 'fresh';
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Local clock time, "14:02". */
export function formatTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(parseTime(iso)));
}

/** Local time, with the day when it is not today: "14:02", "12 Mar, 14:02", "12 Mar 2024, 14:02". */
export function formatWhen(iso: string, now: Date = new Date(), locale?: string): string {
  const at = new Date(parseTime(iso));
  if (Number.isNaN(at.getTime())) return '';
  if (sameLocalDay(at, now)) return formatTime(iso, locale);
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (at.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(locale, opts).format(at);
}

/** The full local date and time, for tooltips. */
export function formatFull(iso: string, locale?: string): string {
  const at = new Date(parseTime(iso));
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(at);
}

/** Start of the agent's local day, for "resolved today". */
export function startOfLocalDay(now: Date = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** A local date as "YYYY-MM-DD" (the form `daily_counts` names its days in). */
export function localDayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The agent's last `days` local dates ("YYYY-MM-DD"), oldest first, ending today. */
export function lastLocalDays(days: number, now: Date = new Date()): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    // by calendar fields, not by subtracting 24 h, so a DST change skips no day
    out.push(localDayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)));
  }
  return out;
}

function detailField(detail: unknown, key: string): unknown {
  if (typeof detail !== 'object' || detail === null) return undefined;
  return (detail as Record<string, unknown>)[key];
}

function statusWord(value: unknown): string {
  return typeof value === 'string' ? statusLabel(value as Status).toLowerCase() : 'something else';
}

function priorityWord(value: unknown): string {
  return typeof value === 'string' ? priorityLabel(value as Priority).toLowerCase() : 'something else';
}

const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone number',
  order_id: 'order id',
};

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One timeline line without the time: "amina set status to resolved". */
export function describeEvent(event: Pick<TimelineEvent, 'actor' | 'kind' | 'detail'>): string {
  const who = event.actor || 'Someone';
  switch (event.kind) {
    case 'created':
      return 'Customer reported the issue';
    case 'status_changed':
      return `${who} set status to ${statusWord(detailField(event.detail, 'to'))}`;
    case 'priority_changed':
      return `${who} set priority to ${priorityWord(detailField(event.detail, 'to'))}`;
    case 'responded':
      return `${who} responded`;
    case 'contact_changed': {
      const fields = detailField(event.detail, 'fields');
      const words = Array.isArray(fields) ? fields.map((f) => FIELD_WORDS[String(f)] ?? String(f)) : [];
      return words.length ? `${who} changed the customer's ${joinWords(words)}` : `${who} changed the contact details`;
    }
    case 'deleted':
      return `${who} deleted the issue`;
    default:
      return `${who}: ${event.kind.replace(/_/g, ' ')}`;
  }
}

/** The response text a "responded" event carries, if any. */
export function eventResponse(event: Pick<TimelineEvent, 'kind' | 'detail'>): string | null {
  if (event.kind !== 'responded') return null;
  const text = detailField(event.detail, 'response');
  return typeof text === 'string' ? text : null;
}

/** The toast after a status change: "Issue #12 resolved". */
export function statusChangeMessage(id: number, to: Status, from?: Status): string {
  if (to === 'resolved') return `Issue #${id} resolved`;
  if (to === 'in-progress') return `Issue #${id} is in progress`;
  return from === 'resolved' ? `Issue #${id} reopened` : `Issue #${id} set to open`;
}

export function priorityChangeMessage(id: number, to: Priority): string {
  return `Issue #${id} priority set to ${priorityLabel(to).toLowerCase()}`;
}

/** Initials for the agent's avatar. */
export function initials(name: string): string {
  const parts = name.trim().split(/[\s._-]+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const letters = parts.length === 1 ? parts[0].slice(0, 2) : parts[0][0] + parts[parts.length - 1][0];
  return letters.toUpperCase();
}
