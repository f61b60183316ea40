// Ages, dates and toast wording as the agent sees them. Plain functions (no DOM, no state)
// so they are easy to test; times are stored in UTC and shown in local time.
import type { Status } from '../api';

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
