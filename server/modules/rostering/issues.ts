import type { RosterEncoding } from "../../../shared/roster-encodings.js";
import { ROSTER_ENTITIES, type RosterEntity, type TRosterCounts, type TRosterIssue } from "../../../shared/schemas/rostering.js";

/**
 * The problems an import finds. Row errors reject their row (the admin may still apply the valid
 * rows); blocking errors (an unreadable file, a missing column, a cycle) make the whole set unusable.
 * Only the first `cap` issues are kept; the counts are always complete.
 */
export class IssueLog {
  readonly kept: TRosterIssue[] = [];
  errors = 0;
  warnings = 0;
  blocking = 0;
  omitted = 0;
  /** Files (lower-cased names) with a blocking problem: what refers to them is not checked. */
  readonly blockedFiles = new Set<string>();
  /** The encoding the first file refused as not UTF-8 most likely is (see text-decoding.ts). */
  suggestedEncoding: RosterEncoding | null = null;

  constructor(private readonly cap: number) {}

  private add(issue: TRosterIssue, always = false, isFirst = false): void {
    if (isFirst) this.kept.unshift(issue);
    else if (always || this.kept.length < this.cap) this.kept.push(issue);
    else this.omitted++;
  }

  /** A row that cannot be imported. */
  error(file: string, line: number | null, column: string | null, message: string): void {
    this.errors++;
    this.add({ severity: "error", file, line, column, message });
  }

  /** A problem that stops the whole import, whatever the admin chooses. */
  blocker(file: string, line: number | null, column: string | null, message: string): void {
    this.errors++;
    this.blocking++;
    this.blockedFiles.add(file.toLowerCase());
    this.add({ severity: "error", file, line, column, message }, true);
  }

  /** A file that could not be read; one refused as not UTF-8 lends the report its likely encoding. */
  unreadable(file: string, err: { line: number | null; message: string; suggestedEncoding: RosterEncoding | null }): void {
    this.blocker(file, err.line, null, err.message);
    this.suggestedEncoding ??= err.suggestedEncoding;
  }

  /** A notice about the import as a whole, put first in the report: the one thing to read. Blocking unless `isWarning`. */
  headline(file: string, message: string, isWarning = false): void {
    if (isWarning) this.warnings++;
    else {
      this.errors++;
      this.blocking++;
    }
    this.add({ severity: isWarning ? "warning" : "error", file, line: null, column: null, message }, true, true);
  }

  warning(file: string, line: number | null, column: string | null, message: string): void {
    this.warnings++;
    this.add({ severity: "warning", file, line, column, message });
  }
}

export const emptyCounts = (): TRosterCounts => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0, skipped: 0, rejected: 0 });

export function emptyEntityCounts(): Record<RosterEntity, TRosterCounts> {
  return Object.fromEntries(ROSTER_ENTITIES.map((e) => [e, emptyCounts()])) as Record<RosterEntity, TRosterCounts>;
}

/** The totals shown in the import history: every entity but role grants (which follow from people). */
export function totalCounts(entities: Partial<Record<RosterEntity, TRosterCounts>>): TRosterCounts {
  const total = emptyCounts();
  for (const [entity, c] of Object.entries(entities)) {
    if (entity === "roles" || !c) continue;
    total.created += c.created;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.deactivated += c.deactivated;
    total.skipped += c.skipped;
    total.rejected += c.rejected;
  }
  return total;
}

/**
 * A fast 53-bit hash (cyrb53) of several strings, each followed by a separator: fingerprints of
 * stored enrolments, compared with the file's. Hashing the parts in place allocates nothing.
 */
export function hash53(...parts: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const ch = part.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
