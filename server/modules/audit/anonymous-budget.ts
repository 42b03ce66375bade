// Anonymous callers (failed sign-ins, reset requests, SSO failures) must not be able to grow the audit
// log without bound. Each address may add a few records per window, and all addresses together a few
// hundred; past that, one "audit.suppressed" record says that more happened, and the rest are
// counted in memory only (the next record from that address after the window carries the count).

export const AnonymousAuditLimits = {
  windowMs: 10 * 60_000,
  perAddress: 20,
  overall: 500,
  /** Addresses remembered at once; past this, only the overall budget applies. */
  maxAddresses: 50_000,
} as const;

type Window = { startedAt: number; used: number; suppressed: number };

export type BudgetDecision =
  | { kind: "record"; suppressedBefore: number }
  | { kind: "mark" } // the first one over budget: write one audit.suppressed record
  | { kind: "drop" };

/** Decides, per anonymous event, whether it is written, marked as the start of suppression, or only counted. */
export class AnonymousAuditBudget {
  private readonly byAddress = new Map<string, Window>();
  private overall: Window = { startedAt: 0, used: 0, suppressed: 0 };

  constructor(
    private readonly limits: { windowMs: number; perAddress: number; overall: number; maxAddresses: number } = AnonymousAuditLimits,
    private readonly now: () => number = Date.now,
  ) {}

  take(address: string | null): BudgetDecision {
    const t = this.now();
    if (t - this.overall.startedAt >= this.limits.windowMs) this.overall = { startedAt: t, used: 0, suppressed: 0 };
    const key = address ?? "unknown";
    let w = this.byAddress.get(key);
    let carried = 0;
    if (!w || t - w.startedAt >= this.limits.windowMs) {
      carried = w?.suppressed ?? 0;
      this.byAddress.delete(key);
      if (this.byAddress.size >= this.limits.maxAddresses) this.prune(t);
      w = { startedAt: t, used: 0, suppressed: 0 };
      if (this.byAddress.size < this.limits.maxAddresses) this.byAddress.set(key, w);
    }
    if (w.used < this.limits.perAddress && this.overall.used < this.limits.overall) {
      w.used++;
      this.overall.used++;
      return { kind: "record", suppressedBefore: carried };
    }
    // One marker per address that went over its budget, and one when the overall budget runs out;
    // the markers count against the overall budget too, so many addresses cannot add many markers.
    const isFirstHere = w.suppressed === 0 && w.used >= this.limits.perAddress;
    const isFirstOverall = this.overall.suppressed === 0 && this.overall.used >= this.limits.overall;
    w.suppressed++;
    this.overall.suppressed++;
    if ((isFirstHere && this.overall.used < this.limits.overall) || isFirstOverall) {
      this.overall.used++;
      return { kind: "mark" };
    }
    return { kind: "drop" };
  }

  private prune(t: number): void {
    for (const [k, w] of this.byAddress) if (t - w.startedAt >= this.limits.windowMs) this.byAddress.delete(k);
  }
}
