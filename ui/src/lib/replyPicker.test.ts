import { describe, expect, it } from 'vitest';

import type { SavedReply } from '../api';
import { insertReply, matchingReplies, replyQueryAt } from './replyPicker';

const reply = (id: number, title: string): SavedReply => ({ id, title, body: `Body ${id}`, updated_by: 'boss', updated_at: '2026-12-02T10:00:00Z' });
const library = [reply(1, 'Refund on its way'), reply(2, 'Parcel lost: refund or resend'), reply(3, 'Thanks')];

describe('replyQueryAt', () => {
  it('finds the # being typed at a word start', () => {
    expect(replyQueryAt('Hello #ref', 10)).toEqual({ start: 6, end: 10, letters: 'ref' });
    expect(replyQueryAt('#', 1)).toEqual({ start: 0, end: 1, letters: '' });
    expect(replyQueryAt('Line one\n#th', 12)).toEqual({ start: 9, end: 12, letters: 'th' });
  });

  it('leaves a # inside a word or before a line break alone', () => {
    expect(replyQueryAt('order#12', 8)).toBeNull();
    expect(replyQueryAt('#ref\nmore', 9)).toBeNull();
    expect(replyQueryAt('no hash here', 5)).toBeNull();
  });
});

describe('matchingReplies', () => {
  it('matches letters anywhere in the title, titles that start with them first', () => {
    expect(matchingReplies(library, 'ref').map((r) => r.id)).toEqual([1, 2]);
    expect(matchingReplies(library, 'REFUND OR').map((r) => r.id)).toEqual([2]);
    expect(matchingReplies(library, '').map((r) => r.id)).toEqual([2, 1, 3]);
    expect(matchingReplies(library, '1042')).toEqual([]);
  });
});

describe('insertReply', () => {
  it('replaces the #letters and puts the caret after the inserted text', () => {
    const text = 'Hi #ref and more';
    expect(insertReply(text, { start: 3, end: 7, letters: 'ref' }, 'Your refund')).toEqual({ text: 'Hi Your refund and more', caret: 14 });
  });
});
