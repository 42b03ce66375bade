import { Link } from "react-router-dom";
import { forget, type QueuedObservation } from "./offline.js";
import { useDeviceQueue } from "./useDeviceQueue.js";

const STATE_TEXT: Record<QueuedObservation["state"], string> = {
  waiting: "Saved on this device — will sync",
  synced: "Synced",
  deleted_on_server: "Deleted on the server — kept on this device",
  refused: "Not accepted by the server — kept on this device",
};

/**
 * Observations saved on this device and what became of each: waiting to sync, synced (with a link),
 * or kept here because the server refused it or had deleted it. `only` shows one (the one just saved).
 */
export function DeviceQueue({ only }: { only?: string }) {
  const items = useDeviceQueue().filter((i) => (only ? i.clientRef === only : i.state !== "synced" || isRecent(i)));
  if (items.length === 0) return null;
  return (
    <section className="obs-queue" aria-label="On this device">
      {only ? null : <h2 className="obs-queue__title">On this device</h2>}
      <ul className="obs-queue__list">
        {items.map((item) => (
          <li key={item.clientRef} className={`obs-queue__item obs-queue__item--${item.state}`} data-state={item.state}>
            <div className="obs-queue__what">
              <strong>{item.teacherName || "Observation"}</strong>
              <span>
                {item.schoolName} · {item.body.date} · {item.body.status === "draft" ? "draft" : "submitted"}
              </span>
            </div>
            <div className="obs-queue__state" aria-live="polite">
              {STATE_TEXT[item.state]}
              {item.message ? <span className="obs-queue__message">{item.message}</span> : null}
            </div>
            <div className="obs-queue__actions">
              {item.state === "synced" && item.observationId ? (
                <Link className="button button--small" to={`/observations/${encodeURIComponent(item.observationId)}`}>
                  Open
                </Link>
              ) : null}
              {item.state === "deleted_on_server" || item.state === "refused" ? (
                <Link className="button button--small" to={`/observations/new?from=${encodeURIComponent(item.clientRef)}`}>
                  Edit and save again
                </Link>
              ) : null}
              {item.state === "synced" || item.state === "deleted_on_server" || item.state === "refused" ? (
                <button type="button" className="button button--small button--ghost" onClick={() => void forget(item.clientRef)}>
                  {item.state === "synced" ? "Dismiss" : "Discard copy"}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Synced items stay listed for a day, so the person sees the outcome, then drop off the list. */
function isRecent(item: QueuedObservation): boolean {
  return Date.now() - Date.parse(item.lastTriedAt ?? item.savedAt) < 86_400_000;
}
