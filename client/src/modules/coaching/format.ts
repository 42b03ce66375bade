import type { CategoryKind } from "../../../../shared/schemas/coaching.js";

/** "45 min", "1 h", "2 h 15 min". */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** Hours with one decimal at most: "12.5". */
export function formatHours(minutes: number): string {
  const hours = minutes / 60;
  return hours.toLocaleString(undefined, { maximumFractionDigits: hours >= 100 ? 0 : 1 });
}

/** A share 0–1 as "42%", or "—" when there is nothing to divide. */
export function formatShare(share: number | null): string {
  if (share === null || Number.isNaN(share)) return "—";
  return `${Math.round(share * 100)}%`;
}

export const KIND_LABELS: Record<CategoryKind, string> = { coaching: "Coaching", support: "Support" };

// Coaching categories in cool blues, teals and violets; support in warm ambers, oranges and reds.
// Neighbours in each list differ in lightness as well as hue, so stacked bars stay readable.
const COACHING_COLORS = ["#1e40af", "#3b82f6", "#0f766e", "#2dd4bf", "#6d28d9", "#a78bfa", "#0369a1", "#7dd3fc"];
const SUPPORT_COLORS = ["#f59e0b", "#ea580c", "#b91c1c", "#fcd34d", "#9a3412"];

export type CategoryLike = { id: string; kind: CategoryKind };

/** A colour per category, stable for a district's category order: the n-th coaching category gets the n-th cool colour. */
export function categoryColors(categories: readonly CategoryLike[]): Map<string, string> {
  const colors = new Map<string, string>();
  let coaching = 0;
  let support = 0;
  for (const c of categories) {
    if (c.kind === "coaching") colors.set(c.id, COACHING_COLORS[coaching++ % COACHING_COLORS.length] ?? "#1e40af");
    else colors.set(c.id, SUPPORT_COLORS[support++ % SUPPORT_COLORS.length] ?? "#ea580c");
  }
  return colors;
}

export const KIND_COLORS: Record<CategoryKind, string> = { coaching: "#2563eb", support: "#ea580c" };

/** Quotes a value for CSV when it needs it (commas, quotes, newlines) and defuses spreadsheet formulas. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
