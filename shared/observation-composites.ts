// Composite scores: an admin-defined, named weighted combination of normalised metrics (each 0…1),
// such as seed 002's "pilot score" in which classroom observations make up one third. Pure: the
// server evaluates the metrics for a scope and calls `scoreComposite`; both sides render the formula
// with `compositeFormula`, so the formula shown beside a score is the one that computed it.
//
// score = Σ wᵢ·mᵢ / Σ wᵢ, on a 0–100 scale. Dividing by the total weight keeps a score on the same
// scale whatever the weights add up to (weights 1, 1, 1 mean "a third each"); with weights summing
// to 1 it is exactly the weighted sum. A metric with no value for the scope (no observations yet)
// makes the score null rather than silently counting it as zero.

/** A metric a composite may use: a stable key, a label for the formula, and what it measures. */
export type CompositeMetricInfo = { key: string; label: string; description: string; module: string };

/** The metrics the observations module computes; other modules add theirs on the server's registry. */
export const OBSERVATION_METRICS: readonly CompositeMetricInfo[] = [
  {
    key: "observations.share_adaptation_or_above",
    label: "share of observations at Adaptation or above",
    description: "Observations in which at least one characteristic was at Adaptation or a higher level, as a share of all observations in the range.",
    module: "observations",
  },
  {
    key: "observations.share_infusion_or_above",
    label: "share of observations at Infusion or above",
    description: "Observations in which at least one characteristic was at Infusion or Transformation, as a share of all observations in the range.",
    module: "observations",
  },
  {
    key: "observations.extensity",
    label: "extensity (characteristics observed ÷ characteristics)",
    description: "The mean number of characteristics observed per observation, divided by the rubric's number of characteristics.",
    module: "observations",
  },
];

export type CompositeTerm = { metric: string; weight: number };
export type CompositeDefinition = { name: string; terms: readonly CompositeTerm[] };

export type CompositePart = { metric: string; label: string; weight: number; value: number | null; contribution: number | null };
export type CompositeScore = {
  /** 0–100, or null when a metric has no value for this scope. */
  score: number | null;
  parts: CompositePart[];
  formula: string;
  /** Metrics that had no value (so the score is null), by label. */
  missing: string[];
};

const labelOf = (metrics: readonly CompositeMetricInfo[], key: string): string => metrics.find((m) => m.key === key)?.label ?? key;

/** Weights as written in a formula: up to three decimals, no trailing zeros. */
export function formatWeight(w: number): string {
  return String(Math.round(w * 1000) / 1000);
}

/** The composite as a readable formula: "pilot score = 100 × (1 × share at Adaptation or above + 2 × extensity) ÷ 3". */
export function compositeFormula(def: CompositeDefinition, metrics: readonly CompositeMetricInfo[]): string {
  const total = def.terms.reduce((a, t) => a + t.weight, 0);
  const sum = def.terms.map((t) => `${formatWeight(t.weight)} × ${labelOf(metrics, t.metric)}`).join(" + ");
  if (def.terms.length === 0) return `${def.name} = (no metrics)`;
  return Math.abs(total - 1) < 1e-9 ? `${def.name} = 100 × (${sum})` : `${def.name} = 100 × (${sum}) ÷ ${formatWeight(total)}`;
}

/** Scores a composite from metric values (each 0…1, null when unknown for the scope). */
export function scoreComposite(def: CompositeDefinition, values: Readonly<Record<string, number | null | undefined>>, metrics: readonly CompositeMetricInfo[]): CompositeScore {
  const total = def.terms.reduce((a, t) => a + t.weight, 0);
  const parts: CompositePart[] = def.terms.map((t) => {
    const raw = values[t.metric];
    const value = raw === undefined || raw === null || !Number.isFinite(raw) ? null : Math.min(1, Math.max(0, raw));
    return { metric: t.metric, label: labelOf(metrics, t.metric), weight: t.weight, value, contribution: value === null || total <= 0 ? null : (100 * t.weight * value) / total };
  });
  const missing = parts.filter((p) => p.value === null).map((p) => p.label);
  const score = missing.length > 0 || total <= 0 || parts.length === 0 ? null : parts.reduce((a, p) => a + (p.contribution ?? 0), 0);
  return { score, parts, formula: compositeFormula(def, metrics), missing };
}
