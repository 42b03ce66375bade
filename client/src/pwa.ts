/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from "virtual:pwa-register";

/**
 * Installs the service worker that precaches the app shell (vite.config.ts, Workbox), so the app
 * and the observation form open with the network off. A new build takes over on the next load.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  void registerSW({ immediate: true });
}
