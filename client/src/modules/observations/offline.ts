/**
 * The observation form's offline side: an IndexedDB store (through `idb`) of observations saved on
 * this device, keyed by their client-generated id (the API's `clientRef`), and the reference data the
 * form needs with the network off (rubrics, the app list, schools, each school's teachers).
 *
 * Saving writes here first, always; the sync then sends each waiting observation with its clientRef.
 * The server answers a repeated clientRef with the first observation (200), so a sync that is retried,
 * runs in two tabs, or is cut off by a reload still leaves exactly one observation on the server.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { TCreateObservationRequest } from "../../../../shared/schemas/observations.js";
import { ApiError, asApiError } from "../../api/client.js";
import { authApi } from "../auth/api.js";
import { observationsApi } from "./api.js";

export type QueuedState = "waiting" | "synced" | "deleted_on_server" | "refused";

export type QueuedObservation = {
  clientRef: string;
  /** Who saved it: another person signing in on this device never sends it. */
  personId: string;
  body: TCreateObservationRequest & { clientRef: string };
  /** Names to show while it is only on this device. */
  teacherName: string;
  schoolName: string;
  savedAt: string;
  state: QueuedState;
  /** The server's id once synced. */
  observationId: string | null;
  /** Why the server refused it, or said it was deleted. */
  message: string | null;
  attempts: number;
  lastTriedAt: string | null;
};

type OfflineDB = DBSchema & {
  queue: { key: string; value: QueuedObservation; indexes: { byPerson: string } };
  reference: { key: string; value: { key: string; value: unknown; savedAt: string } };
};

let dbPromise: Promise<IDBPDatabase<OfflineDB>> | null = null;
function db(): Promise<IDBPDatabase<OfflineDB>> {
  dbPromise ??= openDB<OfflineDB>("coachwork-observations", 1, {
    upgrade(database) {
      const queue = database.createObjectStore("queue", { keyPath: "clientRef" });
      queue.createIndex("byPerson", "personId");
      database.createObjectStore("reference", { keyPath: "key" });
    },
  });
  return dbPromise;
}

// ---- Reference data ----

/** Fetches `key` from the network and keeps a copy; with the network off, answers the copy. */
export async function withOfflineCopy<T>(key: string, fetcher: () => Promise<T>): Promise<T> {
  try {
    const value = await fetcher();
    await (await db()).put("reference", { key, value, savedAt: new Date().toISOString() });
    return value;
  } catch (cause) {
    const error = asApiError(cause);
    if (error.code !== "network_error") throw error;
    const copy = await (await db()).get("reference", key);
    if (!copy) throw error;
    return copy.value as T;
  }
}

// ---- The queue ----

const listeners = new Set<() => void>();
/** Called whenever the queue changes (a save, a sync outcome), in this tab. */
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const changed = () => listeners.forEach((l) => l());

export async function saveToDevice(item: Omit<QueuedObservation, "state" | "observationId" | "message" | "attempts" | "lastTriedAt">): Promise<void> {
  await (await db()).put("queue", { ...item, state: "waiting", observationId: null, message: null, attempts: 0, lastTriedAt: null });
  changed();
}

export async function queuedFor(personId: string): Promise<QueuedObservation[]> {
  const items = await (await db()).getAllFromIndex("queue", "byPerson", personId);
  return items.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}

export async function queuedItem(clientRef: string): Promise<QueuedObservation | undefined> {
  return (await db()).get("queue", clientRef);
}

/** Forgets a device copy (after it synced, or when the person discards one the server refused). */
export async function forget(clientRef: string): Promise<void> {
  await (await db()).delete("queue", clientRef);
  changed();
}

export type SyncOutcome = { synced: number; waiting: number; refused: number; deletedOnServer: number };

let running: Promise<SyncOutcome> | null = null;

/**
 * Sends every waiting observation of this person, one at a time. Safe to call at any moment (on load,
 * when the network returns, after a save): one run at a time per tab, and the server's clientRef
 * makes repeats across tabs and reloads harmless.
 */
export function syncQueue(personId: string): Promise<SyncOutcome> {
  running ??= runSync(personId).finally(() => {
    running = null;
  });
  return running;
}

async function runSync(personId: string): Promise<SyncOutcome> {
  const outcome: SyncOutcome = { synced: 0, waiting: 0, refused: 0, deletedOnServer: 0 };
  const waiting = (await queuedFor(personId)).filter((i) => i.state === "waiting");
  if (waiting.length === 0) return outcome;
  try {
    // The page may have opened offline, without a CSRF token: /me hands one out before the writes.
    const me = await authApi.me();
    if (me.person.id !== personId) return { ...outcome, waiting: waiting.length };
  } catch {
    return { ...outcome, waiting: waiting.length };
  }
  for (const item of waiting.reverse()) {
    const tried = { ...item, attempts: item.attempts + 1, lastTriedAt: new Date().toISOString() };
    try {
      const saved = await observationsApi.create(item.body);
      await (await db()).put("queue", { ...tried, state: "synced", observationId: saved.id, message: null });
      outcome.synced++;
    } catch (cause) {
      const error: ApiError = asApiError(cause);
      if (error.code === "network_error" || error.status >= 500 || error.status === 429) {
        await (await db()).put("queue", tried);
        outcome.waiting++;
        break; // the network is down again: the rest wait too
      }
      const state: QueuedState = error.status === 410 ? "deleted_on_server" : "refused";
      await (await db()).put("queue", { ...tried, state, message: error.message });
      if (state === "refused") outcome.refused++;
      else outcome.deletedOnServer++;
    }
    changed();
  }
  changed();
  return outcome;
}
