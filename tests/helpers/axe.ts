/**
 * axe-core in the e2e browser: WCAG 2.1 A and AA rules, and the violations the suite fails on
 * (serious and critical). axe-core goes in as an inline script, which the app's CSP refuses: open the
 * page in a context made with `bypassCSP: true`.
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export type Violation = { id: string; impact: string | null; help: string; nodes: string[] };

/** The serious and critical violations on the page as it is, each with (up to five of) where it is. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate(async (tags) => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: "tag", values: tags } });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  }, TAGS);
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation: "serious color-contrast (…) at main > p". */
export function describeViolation(v: Violation): string {
  return `${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`;
}

/** The page's violations at each width (the page is resized, then put back to the first), as lines. */
export async function violationsAtWidths(page: Page, widths: readonly number[] = [1280, 390]): Promise<string[]> {
  const lines: string[] = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    lines.push(...(await seriousViolations(page)).map((v) => `${width}px ${describeViolation(v)}`));
  }
  await page.setViewportSize({ width: widths[0] ?? 1280, height: 900 });
  return lines;
}
