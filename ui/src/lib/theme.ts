// The theme setting applied to the document: "system" follows the OS (prefers-color-scheme).
import type { Theme } from '../api';

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}
