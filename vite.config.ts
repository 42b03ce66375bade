import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The SPA lives in client/ and is served by the Fastify server from dist/client.
export default defineConfig({
  root: "client",
  plugins: [react()],
  build: { outDir: "../dist/client", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:3000", "/healthz": "http://127.0.0.1:3000" } },
});
