/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from "virtual:pwa-register";

/**
 * Installs the service worker that precaches the app shell (vite.config.ts, Workbox), so the app
 * and the observation form open with the network off. A new build's worker waits until every tab
 * of the app has closed, then serves the next visit: never a reload in the middle of a form.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  void registerSW({ immediate: true, onNeedRefresh: () => undefined });
}
