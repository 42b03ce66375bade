/**
 * Debian's Chromium for the e2e tests, driven by playwright-core (which never downloads a browser).
 * Set CHROMIUM_PATH to use another binary; without one the e2e files skip with a warning.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) console.warn(`Skipping e2e tests: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH).`);

/** Launches headless Chromium, after checking the client the test server serves has been built. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(path.join(ROOT, "dist/client/index.html"))) {
    throw new Error("dist/client is missing: run `npx vite build` (or `npm test`, which builds when stale)");
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
