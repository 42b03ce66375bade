import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";

// The SPA lives in client/ and is served by the Fastify server from dist/client.
//
// The app installs as a progressive web app so the observation form opens in a classroom without
// Wi-Fi (issue 13). Workbox (generateSW) precaches the built app shell and answers navigations with
// index.html; it never caches the API: /api/ and the health checks always go to the network (a
// navigation there is never answered from the cache), and the form keeps its own offline copies in
// IndexedDB (client/src/modules/observations/offline.ts).
export default defineConfig({
  root: "client",
  plugins: [
    react(),
    VitePWA({
      // A new build waits until every tab of the app is closed (no skipWaiting, no forced reload):
      // reloading under a coach who is halfway through an observation would lose the form.
      registerType: "prompt",
      // Registered from client/src/pwa.ts (a module script, as the Content-Security-Policy wants).
      injectRegister: false,
      includeAssets: ["favicon.svg"],
      manifest: {
        name: "Coachwork",
        short_name: "Coachwork",
        description: "Run a district's technology-coaching program: coaching log, observations and more.",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#f6f7f9",
        theme_color: "#4f46e5",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/favicon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz/, /^\/readyz/],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
      },
    }),
  ],
  build: { outDir: "../dist/client", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:3000", "/healthz": "http://127.0.0.1:3000" } },
});
