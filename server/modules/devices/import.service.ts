import { parse } from "csv-parse/sync";
import type { Insertable } from "kysely";
import { DeviceLimits, normaliseTag, type TAssetImportReport } from "../../../shared/schemas/devices.js";
import type { Ctx } from "../../context.js";
import { isUniqueViolation } from "../../db/index.js";
import type { DeviceAssetsTable, DeviceEventsTable } from "../../db/schema.js";
import { AppError, fieldError } from "../../errors.js";
import { fold, newId, nowIso } from "../../lib.js";
import { isSchoolOfDistrict } from "../schools/api.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import * as repo from "./devices.repository.js";
import { assertCanManageAt } from "./policy.js";

// A vendor's shipment list (serial, asset tag, model) into the inventory. The whole file is checked
// first and every problem reported by line, like the roster import; with any problem nothing is
// written. Repeatable: a line already in the inventory as it is (same tag, serial and model) counts
// as unchanged, so importing the same file again changes nothing.

const COLUMNS = {
  serial: ["serial", "serial number", "serial_number", "serialnumber", "sn"],
  tag: ["asset tag", "asset_tag", "assettag", "tag", "asset"],
  model: ["model", "model name", "model_name"],
} as const;
type Column = keyof typeof COLUMNS;

export type ImportOptions = { isDryRun: boolean; schoolId: string | null; fundingSource: string; purchaseDate: string | null };

type Issue = { line: number; column: string | null; message: string };

/** Reads the file: each record with the line it starts on. */
function readRecords(text: string): { headers: string[]; rows: { line: number; cells: string[] }[] } {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...body] = records;
  if (!head) return { headers: [], rows: [] };
  // info.lines is the line a record ends on; a record of the file's own lines starts there too in the common (unquoted) case.
  return { headers: head.record.map((h) => fold(h).replace(/[-]/g, " ")), rows: body.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

/** Checks a shipment list against the district's models and inventory and, unless a dry run with no problem, adds its devices. */
export async function importAssets(ctx: Ctx, who: Writer, text: string, opts: ImportOptions): Promise<TAssetImportReport> {
  const districtId = who.actor.districtId;
  if (opts.schoolId !== null && !(await isSchoolOfDistrict(ctx.db, districtId, opts.schoolId))) throw fieldError("query.schoolId", "is not a school of this district");
  assertCanManageAt(who.actor, opts.schoolId, "query.schoolId");
  let table: ReturnType<typeof readRecords>;
  try {
    table = readRecords(text);
  } catch (err) {
    throw new AppError("validation_failed", `The file is not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  const errors: Issue[] = [];
  const index: Partial<Record<Column, number>> = {};
  for (const col of Object.keys(COLUMNS) as Column[]) {
    const i = table.headers.findIndex((h) => (COLUMNS[col] as readonly string[]).includes(h));
    if (i < 0) errors.push({ line: 1, column: col, message: `no "${COLUMNS[col][0]}" column (the first line names the columns: serial, asset tag, model)` });
    else index[col] = i;
  }
  if (table.rows.length > DeviceLimits.maxImportRows) errors.push({ line: 1, column: null, message: `the file has ${table.rows.length} devices; import at most ${DeviceLimits.maxImportRows} at a time` });
  const report = (over: Partial<TAssetImportReport>): TAssetImportReport => ({
    dryRun: opts.isDryRun,
    applied: false,
    rows: table.rows.length,
    created: 0,
    unchanged: 0,
    errors: errors.slice(0, DeviceLimits.maxReportedErrors),
    errorCount: errors.length,
    ...over,
  });
  if (errors.length > 0) return report({});

  const [models, existing] = await Promise.all([repo.listModels(ctx.db, districtId), repo.inventoryKeys(ctx.db, districtId)]);
  const modelByName = new Map(models.map((m) => [fold(m.name), m]));
  const byTag = new Map(existing.map((e) => [e.tag, e]));
  const bySerial = new Map(existing.map((e) => [e.serial, e]));
  const tagLine = new Map<string, number>();
  const serialLine = new Map<string, number>();
  const fresh: { line: number; tag: string; serial: string; modelId: string }[] = [];
  let unchanged = 0;
  const cell = (cells: string[], col: Column) => cells[index[col] ?? -1] ?? "";

  for (const { line, cells } of table.rows) {
    const serial = cell(cells, "serial").trim();
    const rawTag = cell(cells, "tag");
    const tag = normaliseTag(rawTag);
    const modelName = cell(cells, "model").trim();
    const before = errors.length;
    if (!serial) errors.push({ line, column: "serial", message: "is empty" });
    else if (serial.length > DeviceLimits.maxSerial) errors.push({ line, column: "serial", message: `is longer than ${DeviceLimits.maxSerial} characters` });
    if (!tag) errors.push({ line, column: "asset tag", message: rawTag.trim() ? `"${rawTag}" has no letters or digits` : "is empty" });
    else if (tag.length > DeviceLimits.maxTag) errors.push({ line, column: "asset tag", message: `is longer than ${DeviceLimits.maxTag} characters` });
    const model = modelByName.get(fold(modelName));
    if (!modelName) errors.push({ line, column: "model", message: "is empty" });
    else if (!model) errors.push({ line, column: "model", message: `"${modelName}" is not one of the district's models (add it on the import page first: "Add a model")` });
    if (serial) {
      const first = serialLine.get(serial);
      if (first !== undefined) errors.push({ line, column: "serial", message: `${serial} is also on line ${first}` });
      else serialLine.set(serial, line);
    }
    if (tag) {
      const first = tagLine.get(tag);
      if (first !== undefined) errors.push({ line, column: "asset tag", message: `${tag} is also on line ${first}` });
      else tagLine.set(tag, line);
    }
    if (errors.length > before || !model) continue;
    const sameTag = byTag.get(tag);
    const sameSerial = bySerial.get(serial);
    if (sameTag && sameTag.serial === serial) {
      if (sameTag.model_id !== model.id) errors.push({ line, column: "model", message: `${tag} is already in the inventory as another model` });
      else unchanged++;
      continue;
    }
    if (sameSerial) errors.push({ line, column: "serial", message: `${serial} is already in the inventory with the tag ${sameSerial.tag}` });
    if (sameTag) errors.push({ line, column: "asset tag", message: `${tag} is already in the inventory with the serial ${sameTag.serial}` });
    if (sameTag || sameSerial) continue;
    fresh.push({ line, tag, serial, modelId: model.id });
  }
  if (errors.length > 0 || opts.isDryRun) return report({ created: errors.length > 0 ? 0 : fresh.length, unchanged });

  const now = nowIso();
  const rows: Insertable<DeviceAssetsTable>[] = [];
  const events: Insertable<DeviceEventsTable>[] = [];
  for (const f of fresh) {
    const id = newId();
    rows.push({
      id,
      district_id: districtId,
      tag: f.tag,
      serial: f.serial,
      model_id: f.modelId,
      status: "in_stock",
      is_loaner: 0,
      school_id: opts.schoolId,
      room: "",
      purchase_date: opts.purchaseDate,
      warranty_end: null,
      funding_source: opts.fundingSource,
      notes: "",
      condition: null,
      created_at: now,
      updated_at: now,
    });
    events.push({ id: newId(), district_id: districtId, asset_id: id, person_id: null, kind: "imported", details: `{"line":${f.line}}`, actor_id: who.actor.personId, at: now });
  }
  try {
    await auditedWrite(
      ctx,
      who,
      (trx) => repo.insertAssets(trx, rows, events),
      () => ({ action: "device.asset.import", details: { created: rows.length, unchanged, schoolId: opts.schoolId } }),
    );
  } catch (err) {
    // Another import or a hand-added device took a tag or serial between the check and the write.
    if (isUniqueViolation(err)) throw new AppError("conflict", "A tag or serial of this file was added to the inventory meanwhile; check the file again");
    throw err;
  }
  return report({ applied: true, created: rows.length, unchanged });
}
