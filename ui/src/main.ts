// Entry: mounts the app. In the dev server's mock mode (`npm run dev:mock`, or `?mock` on
// the dev URL) a fake backend answers the Tauri commands, so the UI runs in any browser;
// a production build folds that branch away.
import { mount } from 'svelte';

import './app.css';
import App from './App.svelte';

async function boot(): Promise<void> {
  if (import.meta.env.MODE === 'mock' || (import.meta.env.DEV && new URLSearchParams(location.search).has('mock'))) {
    const { installMockBackend } = await import('./mock/backend');
    installMockBackend();
  }
  mount(App, { target: document.getElementById('app')! });
}

void boot();
