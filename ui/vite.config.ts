/// <reference types="vitest/config" />
// Vite builds the desktop UI into ui/dist (Tauri's frontendDist); Vitest runs the unit
// tests beside the code in jsdom.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  // Tauri's CLI exposes its variables with this prefix.
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  // tauri.conf.json's devUrl is http://localhost:5173.
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebView2 (Windows), WebKitGTK (Linux) and WKWebView (macOS 12+).
    target: ['es2022', 'chrome105', 'safari15'],
    // Keep every asset a file: the CSP allows 'self' for scripts and styles.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    globals: true,
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
  },
});
