// Typing `#` and a few letters of a saved reply's title in the response box offers the
// replies whose title holds those letters. Plain functions: the box's text and caret in,
// the query and the text after an insertion out.
import type { SavedReply } from '../api';

/** The `#letters` being typed just before the caret, where it starts, and the letters. */
export type ReplyQuery = { start: number; end: number; letters: string };

/** The query the caret is in: `#` at the start or after a space or line break, no line break after it. */
export function replyQueryAt(text: string, caret: number): ReplyQuery | null {
  const before = text.slice(0, caret);
  const hash = before.lastIndexOf('#');
  if (hash < 0) return null;
  if (hash > 0 && !/\s/.test(before[hash - 1])) return null;
  const letters = before.slice(hash + 1);
  if (/[\r\n]/.test(letters) || letters.length > 40) return null;
  return { start: hash, end: caret, letters };
}

/** The replies whose title holds the letters (case and spacing aside), best first: titles that start with them. */
export function matchingReplies(replies: readonly SavedReply[], letters: string): SavedReply[] {
  const wanted = letters.trim().toLowerCase();
  const scored = replies
    .map((reply) => ({ reply, at: reply.title.toLowerCase().indexOf(wanted) }))
    .filter((m) => m.at >= 0);
  scored.sort((a, b) => Number(a.at !== 0) - Number(b.at !== 0) || a.reply.title.localeCompare(b.reply.title));
  return scored.map((m) => m.reply);
}

/** The text with the query replaced by `inserted`, and where the caret goes (after it). */
export function insertReply(text: string, query: ReplyQuery, inserted: string): { text: string; caret: number } {
  return { text: text.slice(0, query.start) + inserted + text.slice(query.end), caret: query.start + inserted.length };
}
