/** A share 0–1 as "42%", or "—" when there is nothing to divide. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return "—";
  return `${Math.round(share * 100)}%`;
}

/** A composite score 0–100 with one decimal, or "—" when it cannot be computed for the scope. */
export function formatScore(score: number | null): string {
  return score === null ? "—" : score.toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

/** A count with thousands separators. */
export const formatCount = (n: number): string => n.toLocaleString("en-US");
