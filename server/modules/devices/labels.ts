import bwipjs from "bwip-js";
import type { Ctx } from "../../context.js";
import type { Actor } from "../../auth/actor.js";
import { DeviceLimits } from "../../../shared/schemas/devices.js";
import { fieldError } from "../../errors.js";
import * as repo from "./devices.repository.js";
import { assertCanOpenInventory, canReadAt } from "./policy.js";

// A printable sheet of asset-tag labels: Code 128 barcodes (bwip-js, SVG) a USB scanner reads back as
// the tag, three columns of ten on a Letter/A4 page (Avery 5160-like 2.625 × 1 in).

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** An HTML page of labels for the chosen assets, ready to print. */
export async function labelSheet(ctx: Ctx, actor: Actor, ids: readonly string[]): Promise<string> {
  assertCanOpenInventory(actor);
  if (ids.length > DeviceLimits.maxLabels) throw fieldError("query.ids", `at most ${DeviceLimits.maxLabels} labels at a time`);
  const rows = (await repo.assetsByIds(ctx.db, actor.districtId, ids)).filter((r) => canReadAt(actor, r.school_id));
  const labels = rows.map((r) => {
    const svg = bwipjs.toSVG({ bcid: "code128", text: r.tag, scale: 2, height: 9, includetext: false });
    return `<div class="label"><div class="code">${svg}</div><div class="tag">${esc(r.tag)}</div><div class="meta">${esc(r.model_name)} · SN ${esc(r.serial)}</div></div>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Device labels</title><style>
@page { size: letter; margin: 0.5in 0.19in; }
body { font-family: system-ui, sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: repeat(3, 2.625in); grid-auto-rows: 1in; column-gap: 0.125in; }
.label { box-sizing: border-box; padding: 0.06in 0.12in; overflow: hidden; break-inside: avoid; border: 1px dashed #ccc; }
.code svg { width: 100%; height: 0.5in; }
.tag { font: 600 12pt ui-monospace, monospace; text-align: center; }
.meta { font-size: 7pt; color: #333; text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
@media print { .label { border: none; } }
</style></head><body><main class="sheet" aria-label="Device labels">${labels.join("")}</main></body></html>`;
}
