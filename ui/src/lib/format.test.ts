import { describe, expect, it } from 'vitest';

import {
  formatAge,
  formatTime,
  formatWhen,
  parseTime,
  initials,
  issueClock,
  lastLocalDays,
  localDayKey,
} from './format';
import { LIMITS } from '../api/generated/desk';
import { priorityIcon, priorityLabel, statusIcon, statusLabel, typeIcon, typeLabel } from './labels';

const HOUR = 3_600_000;
const now = Date.parse('2026-03-12T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('parseTime', () => {
  it('reads the microseconds Rust sends', () => {
    expect(parseTime('2026-03-12T12:00:05.123456Z')).toBe(Date.parse('2026-03-12T12:00:05.123Z'));
    expect(parseTime('2026-03-12T12:00:05Z')).toBe(Date.parse('2026-03-12T12:00:05Z'));
    expect(parseTime('2026-03-12T12:00:05.5+00:00')).toBe(Date.parse('2026-03-12T12:00:05.500Z'));
  });
});

describe('formatAge', () => {
  it('says minutes, hours and days in short form', () => {
    expect(formatAge(ago(20_000), now)).toBe('now');
    expect(formatAge(ago(5 * 60_000), now)).toBe('5 min');
    expect(formatAge(ago(59 * 60_000), now)).toBe('59 min');
    expect(formatAge(ago(HOUR), now)).toBe('1 h');
    expect(formatAge(ago(3 * HOUR + 50 * 60_000), now)).toBe('3 h');
    expect(formatAge(ago(23 * HOUR + 59 * 60_000), now)).toBe('23 h');
    expect(formatAge(ago(24 * HOUR), now)).toBe('1 d');
    expect(formatAge(ago(50 * 24 * HOUR), now)).toBe('50 d');
  });

  it('never goes negative when the clocks disagree a little', () => {
    expect(formatAge(new Date(now + 30_000).toISOString(), now)).toBe('now');
  });
});

describe('issueClock', () => {
  const issue = (due: number | null, answered = false, status: 'open' | 'in-progress' | 'resolved' = 'open') => ({
    created_at: ago(5 * HOUR),
    status,
    due_at: due === null ? null : new Date(now + due).toISOString(),
    first_response_at: answered ? ago(HOUR) : null,
  });

  it('counts down to the due time the database set, amber in the last two hours', () => {
    expect(issueClock(issue(3 * HOUR + 10 * 60_000), now)).toMatchObject({ text: 'due in 3 h', tone: 'fresh' });
    expect(issueClock(issue(LIMITS.dueSoonMinutes * 60_000), now)).toMatchObject({ text: 'due in 2 h', tone: 'warn' });
    expect(issueClock(issue(25 * 60_000), now)).toMatchObject({ text: 'due in 25 min', tone: 'warn' });
    expect(issueClock(issue(20_000), now)).toMatchObject({ text: 'due now', tone: 'warn' });
  });

  it('says by how much an unanswered issue is overdue, in red', () => {
    const late = issueClock(issue(-2 * HOUR - 5 * 60_000), now);
    expect(late).toMatchObject({ text: 'overdue 2 h', tone: 'late' });
    expect(late.long).toBe('5 hours old, first response overdue by 2 h');
    expect(issueClock(issue(-3 * 24 * HOUR), now).text).toBe('overdue 3 d');
  });

  it('shows the age once answered, resolved or never due', () => {
    expect(issueClock(issue(-HOUR, true), now)).toMatchObject({ text: '5 h', tone: 'fresh' });
    expect(issueClock(issue(-HOUR, false, 'resolved'), now)).toMatchObject({ text: '5 h', tone: 'done' });
    expect(issueClock(issue(null), now)).toMatchObject({ text: '5 h', tone: 'fresh' });
  });
});

describe('labels and icons (generated from the Rust side)', () => {
  it('uses the seed labels and icons', () => {
    expect(`${typeIcon('not_received')} ${typeLabel('not_received')}`).toBe('📦 Order Not Received');
    expect(`${typeIcon('quality')} ${typeLabel('quality')}`).toBe('⚠️ Product Quality Issue');
    expect(`${typeIcon('wrong_item')} ${typeLabel('wrong_item')}`).toBe('❌ Wrong Item Delivered');
    expect(`${typeIcon('damaged')} ${typeLabel('damaged')}`).toBe('💔 Damaged Packaging');
    expect(`${typeIcon('payment')} ${typeLabel('payment')}`).toBe('💳 Payment Issues');
    expect(`${typeIcon('refund')} ${typeLabel('refund')}`).toBe('💰 Refund/Return Query');
    expect(`${typeIcon('app')} ${typeLabel('app')}`).toBe('📱 App/Website Issues');
    expect(`${typeIcon('other')} ${typeLabel('other')}`).toBe('❓ Other Issues');
    expect([priorityIcon('normal'), priorityIcon('high'), priorityIcon('urgent')]).toEqual(['🔵', '🟠', '🔴']);
    expect([statusIcon('open'), statusIcon('in-progress'), statusIcon('resolved')]).toEqual(['🔴', '🟡', '🟢']);
    expect(priorityLabel('urgent')).toBe('Urgent');
    expect(statusLabel('in-progress')).toBe('In progress');
  });
});

describe('dates in local time', () => {
  it('shows the local clock time', () => {
    const local = new Date(2026, 2, 12, 14, 2);
    expect(formatTime(local.toISOString(), 'en-GB')).toBe('14:02');
  });

  it('adds the day when it is not today, and the year when it is not this year', () => {
    const today = new Date(2026, 2, 12, 18, 0);
    expect(formatWhen(new Date(2026, 2, 12, 9, 5).toISOString(), today, 'en-GB')).toBe('09:05');
    expect(formatWhen(new Date(2026, 2, 10, 9, 5).toISOString(), today, 'en-GB')).toBe('10 Mar, 09:05');
    expect(formatWhen(new Date(2025, 11, 31, 23, 59).toISOString(), today, 'en-GB')).toBe('31 Dec 2025, 23:59');
  });

  it("lists the agent's last local days, oldest first", () => {
    expect(lastLocalDays(3, new Date(2026, 2, 1, 0, 30))).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(lastLocalDays(2, new Date(2026, 0, 1, 23, 59))).toEqual(['2025-12-31', '2026-01-01']);
    expect(localDayKey(new Date(2026, 10, 5))).toBe('2026-11-05');
  });
});

describe('messages', () => {
  it('makes initials', () => {
    expect(initials('amina')).toBe('AM');
    expect(initials('li.wei')).toBe('LW');
    expect(initials('')).toBe('?');
  });
});
