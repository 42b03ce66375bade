import { describe, expect, it } from "vitest";
import { compositeFormula, OBSERVATION_METRICS, scoreComposite } from "./observation-composites.js";
import { countsFromObservations, rollupMetrics, shareAtOrAbove, type RubricShape } from "./observation-metrics.js";

const TIM: RubricShape = {
  dimensions: [
    { key: "active", name: "Active" },
    { key: "collaborative", name: "Collaborative" },
    { key: "constructive", name: "Constructive" },
    { key: "authentic", name: "Authentic" },
    { key: "goal_directed", name: "Goal-Directed" },
  ],
  levels: [
    { rank: 1, key: "entry", name: "Entry" },
    { rank: 2, key: "adoption", name: "Adoption" },
    { rank: 3, key: "adaptation", name: "Adaptation" },
    { rank: 4, key: "infusion", name: "Infusion" },
    { rank: 5, key: "transformation", name: "Transformation" },
  ],
};

// Teacher R is the TIM authors' worked example (three observations, Adoption to Infusion); teacher S
// has one partial observation and one in which nothing was observed. Every figure below is counted
// by hand from this table.
const OBSERVATIONS = [
  { teacherId: "R", levels: { active: 2, collaborative: 2, constructive: 2, authentic: 3, goal_directed: 2 } },
  { teacherId: "R", levels: { active: 2, collaborative: 3, constructive: 2, authentic: 3, goal_directed: 2 } },
  { teacherId: "R", levels: { active: 2, collaborative: 3, constructive: 3, authentic: 4, goal_directed: 2 } },
  { teacherId: "S", levels: { active: 1, collaborative: null, constructive: 1, goal_directed: 2 } },
  { teacherId: "S", levels: {} },
];

describe("observation roll-up metrics", () => {
  const m = rollupMetrics(TIM, countsFromObservations(TIM, OBSERVATIONS));

  it("counts the heat map per characteristic × level, with not observed", () => {
    expect(m.observations).toBe(5);
    expect(m.heatMap.map((r) => r.counts)).toEqual([
      [1, 3, 0, 0, 0],
      [0, 1, 2, 0, 0],
      [1, 2, 1, 0, 0],
      [0, 0, 2, 1, 0],
      [0, 4, 0, 0, 0],
    ]);
    expect(m.heatMap.map((r) => r.notObserved)).toEqual([1, 2, 1, 2, 1]);
    expect(m.heatMap[3]?.shares).toEqual([0, 0, 2 / 3, 1 / 3, 0]);
  });

  it("distributes all 18 ratings by level", () => {
    expect(m.distribution.map((d) => d.count)).toEqual([2, 10, 5, 1, 0]);
    expect(m.distribution[1]?.share).toBe(10 / 18);
  });

  it("reports prevalence per characteristic (at or above, most frequent) and per observation (highest ≥ L)", () => {
    const authentic = m.prevalence.byDimension[3];
    expect(authentic?.atOrAbove).toEqual([1, 1, 1, 1 / 3, 0]);
    expect(authentic?.mostFrequent).toEqual([3]);
    expect(m.prevalence.byDimension[0]?.atOrAbove).toEqual([1, 3 / 4, 0, 0, 0]);
    expect(m.prevalence.byObservation.map((p) => p.count)).toEqual([4, 4, 3, 1, 0]);
    expect(m.prevalence.byObservation.map((p) => p.share)).toEqual([4 / 5, 4 / 5, 3 / 5, 1 / 5, 0]);
  });

  it("keeps every tied level as most frequent", () => {
    const tied = rollupMetrics(TIM, countsFromObservations(TIM, [{ teacherId: "T", levels: { active: 1 } }, { teacherId: "T", levels: { active: 4 } }]));
    expect(tied.prevalence.byDimension[0]?.mostFrequent).toEqual([1, 4]);
    expect(tied.prevalence.byDimension[1]?.mostFrequent).toEqual([]);
  });

  it("finds the highest level per observation, per teacher and per teacher within a characteristic", () => {
    expect(m.highest.observations.map((l) => l.count)).toEqual([0, 1, 2, 1, 0]);
    expect(m.highest.observationsWithNone).toBe(1);
    expect(m.teachers).toBe(2);
    expect(m.highest.teachers.map((l) => l.count)).toEqual([0, 1, 0, 1, 0]);
    expect(m.highest.byDimension[3]?.teachers.map((l) => l.count)).toEqual([0, 0, 0, 1, 0]);
    expect(m.highest.byDimension[0]?.teachers.map((l) => l.count)).toEqual([1, 1, 0, 0, 0]);
  });

  it("counts extensity (characteristics observed) and flexibility (distinct levels per teacher)", () => {
    expect(m.extensity.distribution.map((d) => d.count)).toEqual([1, 0, 0, 1, 0, 3]);
    expect(m.extensity.mean).toBeCloseTo(18 / 5, 12);
    expect(m.extensity.normalised).toBeCloseTo(0.72, 12);
    expect(m.flexibility.teachers.map((f) => f.count)).toEqual([0, 1, 1, 0, 0]);
    // Collaborative: R at Adoption and Adaptation (2 levels); S never observed there.
    expect(m.flexibility.byDimension[1]?.teachers.map((f) => f.count)).toEqual([0, 1, 0, 0, 0]);
  });

  it("answers null shares, not zero, when there is nothing to divide by", () => {
    const empty = rollupMetrics(TIM, countsFromObservations(TIM, []));
    expect(empty.prevalence.byObservation[0]?.share).toBeNull();
    expect(empty.extensity.mean).toBeNull();
    expect(empty.heatMap[0]?.shares).toEqual([null, null, null, null, null]);
  });
});

describe("composite scores", () => {
  const counts = countsFromObservations(TIM, OBSERVATIONS);
  const values = {
    "observations.share_adaptation_or_above": shareAtOrAbove(counts, 3),
    "observations.share_infusion_or_above": shareAtOrAbove(counts, 4),
    "observations.extensity": rollupMetrics(TIM, counts).extensity.normalised,
    "pd.attendance": 0.5,
  };
  const metrics = [...OBSERVATION_METRICS, { key: "pd.attendance", label: "PD attendance", description: "", module: "pd" }];

  it("is the weighted mean of the metrics on 0–100, with its formula", () => {
    const def = { name: "pilot score", terms: [{ metric: "observations.share_adaptation_or_above", weight: 1 }, { metric: "observations.extensity", weight: 1 }, { metric: "pd.attendance", weight: 1 }] };
    const s = scoreComposite(def, values, metrics);
    // (3/5 + 0.72 + 0.5) / 3 × 100 = 60.666…
    expect(s.score).toBeCloseTo(((0.6 + 0.72 + 0.5) / 3) * 100, 9);
    expect(s.parts.map((p) => p.contribution)).toEqual([20, 24, 50 / 3].map((v) => expect.closeTo(v, 9) as unknown));
    expect(s.formula).toBe("pilot score = 100 × (1 × share of observations at Adaptation or above + 1 × extensity (characteristics observed ÷ characteristics) + 1 × PD attendance) ÷ 3");
  });

  it("is the plain weighted sum when the weights add up to 1", () => {
    const def = { name: "TIM", terms: [{ metric: "observations.share_infusion_or_above", weight: 0.25 }, { metric: "observations.share_adaptation_or_above", weight: 0.75 }] };
    expect(scoreComposite(def, values, metrics).score).toBeCloseTo(100 * (0.25 * 0.2 + 0.75 * 0.6), 9);
    expect(compositeFormula(def, metrics)).toBe("TIM = 100 × (0.25 × share of observations at Infusion or above + 0.75 × share of observations at Adaptation or above)");
  });

  it("is null, naming the metric, when a metric has no value for the scope", () => {
    const s = scoreComposite({ name: "x", terms: [{ metric: "observations.extensity", weight: 1 }, { metric: "tickets.closed", weight: 1 }] }, values, metrics);
    expect(s.score).toBeNull();
    expect(s.missing).toEqual(["tickets.closed"]);
  });
});
