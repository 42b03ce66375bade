import { ASSET_STATUS_LABELS, type TAssetStatus } from "../../../../shared/schemas/devices.js";

export const statusLabel = (s: TAssetStatus) => ASSET_STATUS_LABELS[s];
export const EVENT_LABELS: Record<string, string> = {
  created: "Added",
  imported: "Imported from a shipment list",
  updated: "Changed",
  assigned: "Given to",
  loaned: "Lent to",
  returned: "Returned by",
  repair_opened: "Sent to repair",
  repair_closed: "Back from repair",
  lost: "Marked lost",
  stolen: "Marked stolen",
  retired: "Retired",
  in_stock: "Back in stock",
};
export const eventLabel = (kind: string) => EVENT_LABELS[kind] ?? kind;
export const day = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", ...(iso.length === 10 ? { timeZone: "UTC" } : {}) });
export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
