import { describe, expect, it } from "vitest";
import { AnonymousAuditBudget } from "./anonymous-budget.js";

describe("AnonymousAuditBudget", () => {
  const limits = { windowMs: 1000, perAddress: 3, overall: 10, maxAddresses: 100 };

  it("records a few per address, marks the first one over, drops the rest, and reports the count after the window", () => {
    let now = 0;
    const budget = new AnonymousAuditBudget(limits, () => now);
    const kinds = Array.from({ length: 6 }, () => budget.take("192.0.2.1").kind);
    expect(kinds).toEqual(["record", "record", "record", "mark", "drop", "drop"]);
    expect(budget.take("192.0.2.2").kind).toBe("record");
    now = 1000;
    expect(budget.take("192.0.2.1")).toEqual({ kind: "record", suppressedBefore: 3 });
  });

  it("bounds all addresses together, markers included", () => {
    const budget = new AnonymousAuditBudget(limits, () => 0);
    let written = 0;
    for (let i = 0; i < 1000; i++) if (budget.take(`198.51.100.${i}`).kind !== "drop") written++;
    expect(written).toBe(11);
  });
});
