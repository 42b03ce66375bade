import type { TAssetStatus } from "../../../../shared/schemas/devices.js";
import { statusLabel } from "./labels.js";

export function AssetStatus({ status }: { status: TAssetStatus }) {
  return <span className={`device-status device-status--${status}`}>{statusLabel(status)}</span>;
}
