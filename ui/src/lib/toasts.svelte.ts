// Toasts: short plain-words notes on what just happened ("Issue #12 resolved",
// "Could not save: …"). Success notes fade after a few seconds, errors stay longer.
import type { CommandError } from '../api';

export type ToastTone = 'success' | 'error' | 'info';
export type Toast = { id: number; tone: ToastTone; text: string };

const LIFETIME: Record<ToastTone, number> = { success: 4000, info: 5000, error: 9000 };
const MAX_TOASTS = 4;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(tone: ToastTone, text: string): number {
    const id = this.#next++;
    this.items = [...this.items, { id, tone, text }].slice(-MAX_TOASTS);
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), LIFETIME[tone]),
    );
    return id;
  }

  success(text: string): number {
    return this.show('success', text);
  }

  info(text: string): number {
    return this.show('info', text);
  }

  /** An error toast: `Could not save: <message>`. */
  error(what: string, error?: CommandError): number {
    return this.show('error', error ? `${what}: ${error.message}` : what);
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.items = [];
  }
}

export const toasts = new Toasts();
