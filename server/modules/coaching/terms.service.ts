import { createHash } from "node:crypto";
import type { TermCalendar } from "../../../shared/terms.js";
import type { Ctx } from "../../context.js";
import { lockFor } from "../../platform/writes.js";
import { loadTermCalendar } from "../settings/api.js";
import * as repo from "./coaching.repository.js";

// The coaching log files every entry under a term (its key, shared/terms.ts) and keeps per-term
// teacher rollups. The terms are the district's (Settings → District); when they change, the log
// re-files its entries and rebuilds that rollup the next time it is read or written, in one
// transaction, so every dashboard counts terms the way the settings now say.

/** The fingerprint of a district's term definitions; "fixed" for the July–December / January–June rule. */
export function termsHash(calendar: TermCalendar): string {
  if (calendar.defined.length === 0) return "fixed";
  return createHash("sha256").update(JSON.stringify(calendar.defined.map((t) => [t.startDate, t.endDate, t.name, t.schoolYear]))).digest("hex");
}

/**
 * The district's term calendar, with the log's entries filed by it: re-files them first if the
 * district's terms changed since they were last filed. Call before reading or writing term keys.
 */
export async function coachingTerms(ctx: Ctx, districtId: string): Promise<TermCalendar> {
  const calendar = await loadTermCalendar(ctx.db, districtId);
  const hash = termsHash(calendar);
  if (((await repo.findTermState(ctx.db, districtId)) ?? "fixed") === hash) return calendar;
  await ctx.db.transaction().execute(async (trx) => {
    await lockFor(trx, ctx.dialect, `coaching.terms:${districtId}`);
    if (((await repo.findTermState(trx, districtId)) ?? "fixed") === hash) return;
    const byTerm = new Map<string, string[]>();
    for (const day of await repo.entryDayTerms(trx, districtId)) {
      const key = calendar.termOf(day.date).key;
      if (key === day.term) continue;
      const dates = byTerm.get(key) ?? [];
      dates.push(day.date);
      byTerm.set(key, dates);
    }
    for (const [term, dates] of byTerm) {
      for (let i = 0; i < dates.length; i += 500) await repo.setEntryTerm(trx, districtId, term, dates.slice(i, i + 500));
    }
    if (byTerm.size > 0) await repo.rebuildTeacherRollup(trx, districtId);
    await repo.saveTermState(trx, districtId, hash);
  });
  return calendar;
}
