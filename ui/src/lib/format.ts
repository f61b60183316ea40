// Ages, dates and toast wording as the agent sees them. Plain functions (no DOM, no state)
// so they are easy to test; times are stored in UTC and shown in local time.
import type { Issue } from '../api';
import { LIMITS } from '../api/generated/desk';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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
  return shortSpan(ms);
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

/** A short span: "40 s" is "now", then "5 min", "3 h", "2 d". */
function shortSpan(ms: number): string {
  if (ms < MINUTE) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

/** What an issue's clock shows: its promise while it waits for a first response, else its age. */
export type Clock = { text: string; long: string; tone: AgeTone };

/**
 * "due in 3 h" (amber within the last LIMITS.dueSoonMinutes), "overdue 2 h" (red) while
 * the issue waits for its first response; once answered, resolved or never due, its age
 * ("3 h", calm). The due time is the database's, from the shop's promise and hours.
 */
export function issueClock(
  issue: Pick<Issue, 'created_at' | 'status' | 'due_at' | 'first_response_at'>,
  now: Date | number = Date.now(),
): Clock {
  const at = toMillis(now);
  const age = { text: formatAge(issue.created_at, at), long: formatAgeLong(issue.created_at, at) };
  if (issue.status === 'resolved') return { ...age, tone: 'done' };
  if (issue.first_response_at !== null || issue.due_at === null) return { ...age, tone: 'fresh' };
  const left = toMillis(issue.due_at) - at;
  if (left <= 0) {
    const late = shortSpan(-left);
    return { text: `overdue ${late}`, long: `${age.long}, first response overdue by ${late}`, tone: 'late' };
  }
  const soon = left <= LIMITS.dueSoonMinutes * MINUTE;
  const text = left < MINUTE ? 'due now' : `due in ${shortSpan(left)}`;
  return { text, long: `${age.long}, first response ${text}`, tone: soon ? 'warn' : 'fresh' };
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * One formatter per locale and options: making an Intl.DateTimeFormat is costly in WebKit
 * (each list row's tooltip asks for one), formatting with it is cheap.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** Local clock time, "14:02". */
export function formatTime(iso: string, locale?: string): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(parseTime(iso)));
}

/** Local time, with the day when it is not today: "14:02", "12 Mar, 14:02", "12 Mar 2024, 14:02". */
export function formatWhen(iso: string, now: Date = new Date(), locale?: string): string {
  const at = new Date(parseTime(iso));
  if (Number.isNaN(at.getTime())) return '';
  if (sameLocalDay(at, now)) return formatTime(iso, locale);
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (at.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return dateFormat(locale, opts).format(at);
}

/** The full local date and time, for tooltips. */
export function formatFull(iso: string, locale?: string): string {
  const at = new Date(parseTime(iso));
  if (Number.isNaN(at.getTime())) return '';
  return dateFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(at);
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

/** Initials for the agent's avatar. */
export function initials(name: string): string {
  const parts = name.trim().split(/[\s._-]+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const letters = parts.length === 1 ? parts[0].slice(0, 2) : parts[0][0] + parts[parts.length - 1][0];
  return letters.toUpperCase();
}
