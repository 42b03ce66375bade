// Roll-up metrics for rubric observations (the Technology Integration Matrix by default), computed
// from counts the database has already grouped. Pure: no I/O, used by the server's roll-ups, the
// composite scores and the client's tables.
//
// A rubric's levels are ORDINAL (Entry < Adoption < … < Transformation): the distance between two
// levels means nothing, so no metric here averages levels. What is reported instead follows the TIM
// authors' observation reports (FCIT, "Getting the most from your TIM observation data"):
// counts and shares per level, the highest level reached, how widely and how flexibly teachers work.
//
// Definitions (a level is its rank, 1 = lowest; "observed" = the observer recorded a level for that
// characteristic, as opposed to "not observed"):
// - Heat map: for each characteristic × level, the number of observations that recorded that level
//   for that characteristic; its share is of the observations that observed the characteristic.
// - Level distribution: all recorded ratings (observation × characteristic) by level.
// - Level prevalence, per characteristic (the TIM authors' reading: each observation is one data
//   point per characteristic): the share of the observations that observed the characteristic at
//   level L or above, for each L, and its most frequent level (the TIM-O report's "level prevalence").
// - Level prevalence, per observation: an observation is "at level L or above" when its highest
//   recorded level (over all characteristics) is ≥ L, i.e. when ANY characteristic reached L; the
//   share is of all observations in the range. This is what composite scores use
//   ("share of observations at Adaptation or above").
// - Highest level reached: per observation, its highest recorded level; per teacher, the highest
//   level seen across all their observations and characteristics (what the TIM-O report calls
//   "extensity"); and per characteristic, the teachers by the highest level seen for it.
// - Extensity (as this product uses the word, issue 13): how many characteristics an observation
//   recorded a level for, 0…D; its mean is a mean of counts (not of levels) and, divided by D, a
//   normalised 0…1 metric.
// - Flexibility: per teacher, how many distinct levels they were observed at across all their
//   observations and characteristics (1…L); per characteristic, the same counted within it.

/** The rubric as the metrics see it: characteristics in display order, levels in rank order (1…L). */
export type RubricShape = {
  dimensions: readonly { key: string; name: string }[];
  levels: readonly { rank: number; key: string; name: string }[];
};

/** Observations that recorded `level` for `dimension` (GROUP BY dimension, level). */
export type CellCount = { dimension: string; level: number; count: number };
/** Observations by their highest recorded level (null: nothing observed) and how many characteristics they recorded. */
export type ObservationProfileCount = { highest: number | null; observed: number; count: number };
/** Teachers by the highest level seen over all their observations and by how many distinct levels. */
export type TeacherProfileCount = { highest: number; distinctLevels: number; count: number };
/** Teachers, within one characteristic, by the highest level seen and how many distinct levels. */
export type TeacherDimensionCount = { dimension: string; highest: number; distinctLevels: number; count: number };

export type RollupCounts = {
  /** Observations in the range (including any that recorded nothing). */
  observations: number;
  cells: readonly CellCount[];
  profiles: readonly ObservationProfileCount[];
  teachers: readonly TeacherProfileCount[];
  teacherDimensions: readonly TeacherDimensionCount[];
};

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export type HeatMapRow = {
  dimension: string;
  name: string;
  /** Observations per level, in rank order. */
  counts: number[];
  /** Those counts as shares of `observed` (null when nothing observed it). */
  shares: (number | null)[];
  observed: number;
  notObserved: number;
};

/** The characteristic × level heat map, with "not observed" per characteristic. */
export function heatMap(shape: RubricShape, counts: Pick<RollupCounts, "observations" | "cells">): HeatMapRow[] {
  return shape.dimensions.map((d) => {
    const row = shape.levels.map((l) => sumOf(counts.cells.filter((c) => c.dimension === d.key && c.level === l.rank)));
    const observed = row.reduce((a, b) => a + b, 0);
    return {
      dimension: d.key,
      name: d.name,
      counts: row,
      shares: row.map((n) => share(n, observed)),
      observed,
      notObserved: Math.max(0, counts.observations - observed),
    };
  });
}

const sumOf = (rows: readonly { count: number }[]): number => rows.reduce((a, r) => a + r.count, 0);

export type LevelShare = { level: number; key: string; name: string; count: number; share: number | null };

/** All recorded ratings (observation × characteristic) by level. */
export function levelDistribution(shape: RubricShape, cells: readonly CellCount[]): LevelShare[] {
  const known = new Set(shape.dimensions.map((d) => d.key));
  const rated = cells.filter((c) => known.has(c.dimension));
  const total = sumOf(rated);
  return shape.levels.map((l) => {
    const count = sumOf(rated.filter((c) => c.level === l.rank));
    return { level: l.rank, key: l.key, name: l.name, count, share: share(count, total) };
  });
}

export type DimensionPrevalence = {
  dimension: string;
  name: string;
  observed: number;
  /** For each level in rank order: the share of `observed` at that level or above. */
  atOrAbove: (number | null)[];
  /** The most frequent level(s) (ties keep every tied level), [] when not observed. */
  mostFrequent: number[];
};

/** Level prevalence per characteristic: shares at each level or above, and the most frequent level. */
export function prevalenceByDimension(shape: RubricShape, rows: readonly HeatMapRow[]): DimensionPrevalence[] {
  return rows.map((r) => {
    const atOrAbove = r.counts.map((_, i) => share(r.counts.slice(i).reduce((a, b) => a + b, 0), r.observed));
    const top = Math.max(0, ...r.counts);
    const mostFrequent = top === 0 ? [] : shape.levels.filter((_, i) => r.counts[i] === top).map((l) => l.rank);
    return { dimension: r.dimension, name: r.name, observed: r.observed, atOrAbove, mostFrequent };
  });
}

/** Observations whose highest recorded level is ≥ each level (any characteristic reached it), as a share of all. */
export function prevalenceByObservation(shape: RubricShape, counts: Pick<RollupCounts, "observations" | "profiles">): LevelShare[] {
  return shape.levels.map((l) => {
    const count = sumOf(counts.profiles.filter((p) => p.highest !== null && p.highest >= l.rank));
    return { level: l.rank, key: l.key, name: l.name, count, share: share(count, counts.observations) };
  });
}

/** The share of observations at `rank` or above (any characteristic at or above it); null with no observations. */
export function shareAtOrAbove(counts: Pick<RollupCounts, "observations" | "profiles">, rank: number): number | null {
  return share(sumOf(counts.profiles.filter((p) => p.highest !== null && p.highest >= rank)), counts.observations);
}

export type HighestLevels = {
  /** Observations by their highest recorded level; `none` recorded nothing. */
  observations: LevelShare[];
  observationsWithNone: number;
  /** Teachers by the highest level seen across all their observations (the TIM-O report's "extensity"). */
  teachers: LevelShare[];
  /** Per characteristic, teachers by the highest level seen for it. */
  byDimension: { dimension: string; name: string; teachers: LevelShare[] }[];
};

/** The highest level reached, per observation, per teacher, and per teacher within each characteristic. */
export function highestLevels(shape: RubricShape, counts: Pick<RollupCounts, "observations" | "profiles" | "teachers" | "teacherDimensions">): HighestLevels {
  const teacherTotal = sumOf(counts.teachers);
  const byLevel = (rows: readonly { highest: number | null; count: number }[], whole: number): LevelShare[] =>
    shape.levels.map((l) => {
      const count = sumOf(rows.filter((r) => r.highest === l.rank));
      return { level: l.rank, key: l.key, name: l.name, count, share: share(count, whole) };
    });
  return {
    observations: byLevel(counts.profiles, counts.observations),
    observationsWithNone: sumOf(counts.profiles.filter((p) => p.highest === null)),
    teachers: byLevel(counts.teachers, teacherTotal),
    byDimension: shape.dimensions.map((d) => {
      const rows = counts.teacherDimensions.filter((r) => r.dimension === d.key);
      return { dimension: d.key, name: d.name, teachers: byLevel(rows, sumOf(rows)) };
    }),
  };
}

export type Extensity = {
  /** Observations by how many characteristics they recorded (index = count, 0…D). */
  distribution: { characteristics: number; count: number; share: number | null }[];
  /** Mean characteristics recorded per observation (a mean of counts, not of levels); null with no observations. */
  mean: number | null;
  /** `mean` divided by the rubric's number of characteristics: 0…1. */
  normalised: number | null;
};

/** How many characteristics each observation recorded a level for. */
export function extensity(shape: RubricShape, counts: Pick<RollupCounts, "observations" | "profiles">): Extensity {
  const d = shape.dimensions.length;
  const distribution = Array.from({ length: d + 1 }, (_, n) => {
    const count = sumOf(counts.profiles.filter((p) => Math.min(p.observed, d) === n));
    return { characteristics: n, count, share: share(count, counts.observations) };
  });
  const total = sumOf(counts.profiles);
  const mean = total > 0 ? counts.profiles.reduce((a, p) => a + Math.min(p.observed, d) * p.count, 0) / total : null;
  return { distribution, mean, normalised: mean === null || d === 0 ? null : mean / d };
}

export type Flexibility = {
  /** Teachers by how many distinct levels they were observed at (index 0 = one level). */
  teachers: { levels: number; count: number; share: number | null }[];
  /** The same within each characteristic. */
  byDimension: { dimension: string; name: string; teachers: { levels: number; count: number; share: number | null }[] }[];
};

/** How many distinct levels teachers work at, overall and within each characteristic. */
export function flexibility(shape: RubricShape, counts: Pick<RollupCounts, "teachers" | "teacherDimensions">): Flexibility {
  const l = shape.levels.length;
  const spread = (rows: readonly { distinctLevels: number; count: number }[]) => {
    const whole = sumOf(rows);
    return Array.from({ length: l }, (_, i) => {
      const count = sumOf(rows.filter((r) => Math.min(r.distinctLevels, l) === i + 1));
      return { levels: i + 1, count, share: share(count, whole) };
    });
  };
  return {
    teachers: spread(counts.teachers),
    byDimension: shape.dimensions.map((d) => ({ dimension: d.key, name: d.name, teachers: spread(counts.teacherDimensions.filter((r) => r.dimension === d.key)) })),
  };
}

export type RollupMetrics = {
  observations: number;
  teachers: number;
  heatMap: HeatMapRow[];
  distribution: LevelShare[];
  prevalence: { byDimension: DimensionPrevalence[]; byObservation: LevelShare[] };
  highest: HighestLevels;
  extensity: Extensity;
  flexibility: Flexibility;
};

/** Every roll-up metric from one set of grouped counts. */
export function rollupMetrics(shape: RubricShape, counts: RollupCounts): RollupMetrics {
  const rows = heatMap(shape, counts);
  return {
    observations: counts.observations,
    teachers: sumOf(counts.teachers),
    heatMap: rows,
    distribution: levelDistribution(shape, counts.cells),
    prevalence: { byDimension: prevalenceByDimension(shape, rows), byObservation: prevalenceByObservation(shape, counts) },
    highest: highestLevels(shape, counts),
    extensity: extensity(shape, counts),
    flexibility: flexibility(shape, counts),
  };
}

/** The rank of a level by its key (e.g. "adaptation"), or null when the rubric has no such level. */
export function levelRank(shape: RubricShape, key: string): number | null {
  return shape.levels.find((l) => l.key === key)?.rank ?? null;
}

/** One observation as recorded: its teacher and the level (rank) per characteristic, null or absent when not observed. */
export type ObservationLevels = { teacherId: string; levels: Readonly<Record<string, number | null | undefined>> };

/**
 * The grouped counts computed in memory from individual observations: what the SQL roll-up returns,
 * derived independently (the tests compare the two; small reports may use it directly).
 */
export function countsFromObservations(shape: RubricShape, observations: readonly ObservationLevels[]): RollupCounts {
  const cells = new Map<string, CellCount>();
  const profiles = new Map<string, ObservationProfileCount>();
  const teacherLevels = new Map<string, Set<number>>();
  const teacherDimLevels = new Map<string, { dimension: string; levels: Set<number> }>();
  for (const o of observations) {
    let highest: number | null = null;
    let observed = 0;
    for (const d of shape.dimensions) {
      const level = o.levels[d.key];
      if (level === null || level === undefined) continue;
      observed++;
      highest = highest === null ? level : Math.max(highest, level);
      const cellKey = `${d.key}|${level}`;
      const cell = cells.get(cellKey) ?? { dimension: d.key, level, count: 0 };
      cell.count++;
      cells.set(cellKey, cell);
      const all = teacherLevels.get(o.teacherId) ?? new Set<number>();
      all.add(level);
      teacherLevels.set(o.teacherId, all);
      const tdKey = `${o.teacherId}|${d.key}`;
      const td = teacherDimLevels.get(tdKey) ?? { dimension: d.key, levels: new Set<number>() };
      td.levels.add(level);
      teacherDimLevels.set(tdKey, td);
    }
    const profileKey = `${highest}|${observed}`;
    const p = profiles.get(profileKey) ?? { highest, observed, count: 0 };
    p.count++;
    profiles.set(profileKey, p);
  }
  const teachers = new Map<string, TeacherProfileCount>();
  for (const levels of teacherLevels.values()) {
    const highest = Math.max(...levels);
    const k = `${highest}|${levels.size}`;
    const t = teachers.get(k) ?? { highest, distinctLevels: levels.size, count: 0 };
    t.count++;
    teachers.set(k, t);
  }
  const teacherDimensions = new Map<string, TeacherDimensionCount>();
  for (const { dimension, levels } of teacherDimLevels.values()) {
    const highest = Math.max(...levels);
    const k = `${dimension}|${highest}|${levels.size}`;
    const t = teacherDimensions.get(k) ?? { dimension, highest, distinctLevels: levels.size, count: 0 };
    t.count++;
    teacherDimensions.set(k, t);
  }
  return { observations: observations.length, cells: [...cells.values()], profiles: [...profiles.values()], teachers: [...teachers.values()], teacherDimensions: [...teacherDimensions.values()] };
}
