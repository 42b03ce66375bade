import { CoachingLimits } from "../../../shared/limits.js";
import type { TImportReport, TImportRequest } from "../../../shared/schemas/coaching.js";
import { assertCanCoachAt, assertCanLogCoaching } from "./policy.js";
import { canCoachTeacher } from "../../../shared/policy/coaching.js";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { fold, sha256 } from "../../lib.js";
import { matchStaff } from "../people/api.js";
import { schoolsOfDistrict } from "../schools/api.js";
import { coachingTerms } from "./terms.service.js";
import * as repo from "./coaching.repository.js";
import { detectDateFormat, parseDateCell, parseMinutesCell, readCsv, splitList, type DateFormat } from "./csv-import.js";
import { listCategoriesForActor } from "./categories.service.js";
import { checkDate, dayLock, toWrite, type EntryInput } from "./entries.service.js";
import { recordAudit } from "../audit/api.js";
import { lockFor, type Writer } from "../../platform/writes.js";

// ---------- Import ----------

/**
 * Imports a Google Forms coaching log as the signed-in coach's entries. Every row is checked first;
 * with any error nothing is written unless `applyValid`; rows already imported (same content) are skipped.
 */
export async function importEntries(ctx: Ctx, who: Writer, body: TImportRequest): Promise<TImportReport> {
  const { actor } = who;
  assertCanLogCoaching(actor);
  const table = readCsv(body.csv);
  const errors: TImportReport["errors"] = [];
  const report = (extra: Partial<TImportReport>): TImportReport => ({
    dryRun: body.dryRun,
    applied: false,
    rows: table.rows.length,
    valid: 0,
    created: 0,
    duplicates: 0,
    dateFormat: null,
    headers: table.headers,
    errors,
    categoryValues: [],
    ...extra,
  });
  if (table.headers.length === 0) {
    errors.push({ line: 1, column: null, message: "the file is empty" });
    return report({});
  }
  if (table.rows.length > CoachingLimits.maxImportRows) {
    errors.push({ line: 1, column: null, message: `the file has ${table.rows.length} rows; import at most ${CoachingLimits.maxImportRows} at a time` });
    return report({});
  }
  for (const [field, column] of Object.entries(body.mapping)) {
    if (column !== undefined && !table.headers.includes(column)) {
      errors.push({ line: 1, column, message: `column "${column}" (mapped to ${field}) is not in the header row` });
    }
  }
  if (errors.length) return report({});

  const m = body.mapping;
  let format: DateFormat | null;
  if (body.dateFormat === "auto") {
    const detected = detectDateFormat(table.rows.map((r) => r.cells[m.date] ?? ""));
    format = detected.format;
  } else {
    format = body.dateFormat;
  }

  const categories = (await listCategoriesForActor(ctx, actor)).items;
  const categoryByName = new Map(categories.flatMap((c) => [[fold(c.name), c], [fold(c.key), c]] as const));
  const categoryById = new Map(categories.map((c) => [c.id, c]));
  // What each value of the category column means: the caller's choice for this file, else a category of
  // that name, else what the district chose in an earlier import.
  const chosen = new Map<string, { value: string; categoryId: string }>();
  for (const [value, categoryId] of Object.entries(body.categoryValues ?? {})) {
    const category = categoryById.get(categoryId);
    if (!category) errors.push({ line: 1, column: m.category, message: `categoryValues."${value}": is not one of the district's categories` });
    else if (category.status === "retired") errors.push({ line: 1, column: m.category, message: `categoryValues."${value}": "${category.name}" is retired` });
    else chosen.set(fold(value), { value, categoryId });
  }
  if (errors.length) return report({});
  const remembered = new Map((await repo.listCategoryAliases(ctx.db, actor.districtId)).map((a) => [a.value_key, a.category_id]));
  const categoryValues = new Map<string, TImportReport["categoryValues"][number]>();
  const readCategory = (raw: string) => {
    const key = fold(raw);
    let seen = categoryValues.get(key);
    if (!seen) {
      const pick = chosen.get(key)?.categoryId;
      const byName = categoryByName.get(key);
      const before = remembered.get(key);
      const categoryId = pick ?? byName?.id ?? (before && categoryById.get(before)?.status === "active" ? before : null);
      seen = { value: raw, rows: 0, categoryId, source: pick ? "chosen" : byName ? "name" : categoryId ? "remembered" : null };
      categoryValues.set(key, seen);
    }
    seen.rows++;
    return seen.categoryId ? categoryById.get(seen.categoryId) : undefined;
  };
  const kindOf = new Map(categories.map((c) => [c.id, c.kind]));
  const schoolRows = await schoolsOfDistrict(ctx.db, actor.districtId);
  const schoolByName = new Map(schoolRows.flatMap((s) => [[fold(s.name), s.id], ...(s.code ? [[fold(s.code), s.id] as const] : [])] as const));
  // Every name or email in the teachers column, looked up in the directory at once.
  const teachersColumn = m.teachers;
  const teacherCells = teachersColumn ? table.rows.flatMap((r) => splitList(r.cells[teachersColumn] ?? "")) : [];
  const staffByKey = await matchStaff(ctx.db, actor.districtId, teacherCells);

  const valid: { line: number; input: EntryInput }[] = [];
  for (const row of table.rows) {
    const rowErrors: TImportReport["errors"] = [];
    const err = (column: string | undefined, message: string) => rowErrors.push({ line: row.line, column: column ?? null, message });
    const rawDate = row.cells[m.date] ?? "";
    const date = format ? parseDateCell(rawDate, format) : undefined;
    if (!rawDate) err(m.date, "the date is empty");
    else if (!date) err(m.date, format ? `"${rawDate}" is not a ${format} date like the rest of the file` : `"${rawDate}" is not a date`);
    else {
      try {
        checkDate(date, m.date);
      } catch (e) {
        err(m.date, e instanceof AppError ? e.message.replace(`${m.date}: `, "") : "is invalid");
      }
    }
    const rawMinutes = row.cells[m.minutes] ?? "";
    const minutes = parseMinutesCell(rawMinutes);
    if (minutes === undefined) err(m.minutes, `"${rawMinutes}" is not a number of minutes`);
    else if (minutes < 1 || minutes > CoachingLimits.maxMinutesPerEntry) err(m.minutes, `${minutes} minutes is outside 1–${CoachingLimits.maxMinutesPerEntry}`);
    const rawCategory = row.cells[m.category] ?? "";
    const category = rawCategory ? readCategory(rawCategory) : undefined;
    if (!rawCategory) err(m.category, "the activity is empty");
    else if (!category) err(m.category, `"${rawCategory}" is not one of the district's categories: choose the category it means`);
    else if (category.status === "retired") err(m.category, `"${category.name}" is retired`);
    let schoolId: string | null = null;
    if (m.school && row.cells[m.school]) {
      const raw = row.cells[m.school] ?? "";
      schoolId = schoolByName.get(fold(raw)) ?? null;
      if (!schoolId) err(m.school, `"${raw}" is not a school of this district`);
      else {
        try {
          assertCanCoachAt(actor, schoolId, m.school);
        } catch {
          err(m.school, `you do not coach at "${raw}"`);
        }
      }
    }
    const teacherIds: string[] = [];
    if (m.teachers && row.cells[m.teachers]) {
      for (const name of splitList(row.cells[m.teachers] ?? "")) {
        // The rule of a direct entry (staff at a school the coach coaches), applied before anything is
        // said about a match: someone outside the coach's schools is neither named, counted nor logged.
        const ids = (staffByKey.get(fold(name)) ?? []).filter((p) => canCoachTeacher(actor, p.schoolIds)).map((p) => p.id);
        if (ids.length === 0) err(m.teachers, `"${name}" is not a staff member at a school you coach`);
        else if (ids.length > 1) err(m.teachers, `"${name}" matches ${ids.length} people; use their email instead`);
        else if (ids[0] && !teacherIds.includes(ids[0])) teacherIds.push(ids[0]);
      }
    }
    const notes = m.notes ? (row.cells[m.notes] ?? "").slice(0, CoachingLimits.maxNotes) : "";
    if (rowErrors.length || !date || minutes === undefined || !category) {
      errors.push(...rowErrors);
      continue;
    }
    valid.push({ line: row.line, input: { date, minutes, categoryId: category.id, schoolId, teacherIds, notes, cycleId: null, link: null } });
  }

  // The 16-hour day holds across the file and what is already logged.
  const perDay = new Map<string, number>();
  const stillValid: typeof valid = [];
  for (const v of valid) {
    const before = perDay.get(v.input.date) ?? (await repo.minutesOnDay(ctx.db, actor.personId, v.input.date));
    if (before + v.input.minutes > CoachingLimits.maxMinutesPerDay) {
      errors.push({ line: v.line, column: m.minutes, message: `brings ${v.input.date} over 16 hours for one coach` });
      continue;
    }
    perDay.set(v.input.date, before + v.input.minutes);
    stillValid.push(v);
  }

  const canApply = !body.dryRun && (errors.length === 0 || body.applyValid);
  let created = 0;
  let duplicates = 0;
  if (canApply) {
    const terms = await coachingTerms(ctx, actor.districtId);
    await ctx.db.transaction().execute(async (trx) => {
      // The 16-hour day was checked above for the report; checked again here under each day's
      // lock, so an entry logged meanwhile cannot take a day over.
      const adding = new Map<string, number>();
      for (const v of stillValid) adding.set(v.input.date, (adding.get(v.input.date) ?? 0) + v.input.minutes);
      for (const [date, minutes] of [...adding].sort(([a], [b]) => (a < b ? -1 : 1))) {
        await lockFor(trx, ctx.dialect, dayLock(actor.personId, date));
        if ((await repo.minutesOnDay(trx, actor.personId, date)) + minutes > CoachingLimits.maxMinutesPerDay) {
          throw new AppError("conflict", `Your log for ${date} changed while importing and would now pass 16 hours; import the file again`);
        }
      }
      for (const v of stillValid) {
        // The content is the idempotency key: re-importing the same file adds nothing.
        const ref = `import:${sha256(JSON.stringify(v.input)).slice(0, 40)}`;
        if (await repo.findEntryByClientRef(trx, actor.personId, ref)) {
          duplicates++;
          continue;
        }
        await repo.insertEntry(trx, toWrite(actor, v.input, ref, kindOf.get(v.input.categoryId) ?? "coaching", terms));
        created++;
      }
      // The values chosen for this file are offered (and read) the same way in the district's next import.
      const aliases = [...chosen].filter(([key]) => categoryValues.has(key)).map(([valueKey, c]) => ({ valueKey, value: c.value, categoryId: c.categoryId }));
      await repo.upsertCategoryAliases(trx, actor.districtId, actor.personId, aliases);
      await recordAudit(trx, who, {
        action: "coaching.entries.import",
        details: { rows: table.rows.length, created, duplicates, ...(aliases.length ? { categoryValues: Object.fromEntries(aliases.map((a) => [a.value, a.categoryId])) } : {}) },
      });
    });
  }
  return report({ applied: canApply, valid: stillValid.length, created, duplicates, dateFormat: format, categoryValues: [...categoryValues.values()] });
}
