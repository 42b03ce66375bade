import type { Selectable } from "kysely";
import type { TAsset, TDeviceEvent, TRepair } from "../../../shared/schemas/devices.js";
import type { DeviceEventsTable, DeviceRepairsTable } from "../../db/schema.js";
import type { AssetRow } from "./devices.repository.js";

// Rows → API JSON. Names of people and schools are looked up by the caller and handed in.

export type Names = { people: ReadonlyMap<string, string>; schools: ReadonlyMap<string, string> };

export function presentAsset(r: AssetRow, names: Names): TAsset {
  return {
    id: r.id,
    tag: r.tag,
    serial: r.serial,
    modelId: r.model_id,
    modelName: r.model_name,
    kind: r.model_kind as TAsset["kind"],
    status: r.status as TAsset["status"],
    isLoaner: Number(r.is_loaner) === 1,
    schoolId: r.school_id,
    schoolName: r.school_id ? (names.schools.get(r.school_id) ?? null) : null,
    room: r.room,
    purchaseDate: r.purchase_date,
    warrantyEnd: r.warranty_end,
    fundingSource: r.funding_source,
    notes: r.notes,
    condition: r.condition as TAsset["condition"],
    assignee:
      r.assignee_id && r.assignment_kind && r.assigned_at
        ? { personId: r.assignee_id, name: names.people.get(r.assignee_id) ?? "Unknown person", kind: r.assignment_kind, since: r.assigned_at, dueOn: r.due_on }
        : null,
    updatedAt: r.updated_at,
  };
}

export function presentEvent(e: Selectable<DeviceEventsTable> & { tag: string }, names: ReadonlyMap<string, string>): TDeviceEvent {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(e.details) as Record<string, unknown>;
  } catch {
    details = {};
  }
  return {
    id: e.id,
    kind: e.kind,
    at: e.at,
    actorName: e.actor_id ? (names.get(e.actor_id) ?? null) : null,
    personId: e.person_id,
    personName: e.person_id ? (names.get(e.person_id) ?? null) : null,
    assetId: e.asset_id,
    tag: e.tag,
    details,
  };
}

export function presentRepair(r: Selectable<DeviceRepairsTable>): TRepair {
  return { id: r.id, assetId: r.asset_id, vendor: r.vendor, costCents: r.cost_cents === null ? null : Number(r.cost_cents), ticketId: r.ticket_id, note: r.note, openedOn: r.opened_on, closedOn: r.closed_on };
}
