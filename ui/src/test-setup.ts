// Vitest setup: jsdom lacks a few browser APIs the UI touches.
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

import { toasts } from './lib/toasts.svelte';

if (!window.crypto?.getRandomValues) {
  Object.defineProperty(window, 'crypto', { value: globalThis.crypto });
}

if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}

afterEach(() => {
  clearMocks();
  toasts.clear();
});
