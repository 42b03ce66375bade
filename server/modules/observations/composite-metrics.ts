import { OBSERVATION_METRICS, type CompositeMetricInfo } from "../../../shared/observation-composites.js";
import type { Ctx } from "../../context.js";

// The metrics a composite score may weigh. The observations module's own come from its roll-up counts
// (reports.service.ts); other modules register theirs through observations/api.ts at start-up, e.g.
// professional learning's "share of teachers with 10 PD hours", each evaluated for the report's scope.

/** The report a metric is evaluated for: a district, its schools (or all), one teacher or none, a date range. */
export type MetricScope = { districtId: string; schoolIds: "all" | readonly string[]; teacherId: string | null; from: string; to: string };

/** A metric from another module: what it is, and its value 0…1 for a scope (null when it has none). */
export type CompositeMetricProvider = CompositeMetricInfo & { evaluate: (ctx: Ctx, scope: MetricScope) => Promise<number | null> };

const registered = new Map<string, CompositeMetricProvider>();

/** Adds a metric composites may use; its key must be unique ("<module>.<metric>"). */
export function registerCompositeMetric(provider: CompositeMetricProvider): void {
  if (OBSERVATION_METRICS.some((m) => m.key === provider.key) || registered.has(provider.key)) throw new Error(`composite metric ${provider.key} is already registered`);
  registered.set(provider.key, provider);
}

/** Every metric a composite may use: the observations module's and the registered ones. */
export function compositeMetricInfos(): CompositeMetricInfo[] {
  return [...OBSERVATION_METRICS, ...[...registered.values()].map(({ key, label, description, module }) => ({ key, label, description, module }))];
}

/** Values of the registered metrics among `keys` for a scope (built-in ones are computed from the counts). */
export async function evaluateRegisteredMetrics(ctx: Ctx, scope: MetricScope, keys: ReadonlySet<string>): Promise<Record<string, number | null>> {
  const wanted = [...registered.values()].filter((p) => keys.has(p.key));
  const values = await Promise.all(wanted.map((p) => p.evaluate(ctx, scope)));
  return Object.fromEntries(wanted.map((p, i) => [p.key, values[i] ?? null]));
}

/** Whether a metric key is known (built in or registered). */
export const isKnownMetric = (key: string): boolean => OBSERVATION_METRICS.some((m) => m.key === key) || registered.has(key);
