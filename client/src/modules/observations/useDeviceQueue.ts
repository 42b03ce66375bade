import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { useMe } from "../../lib/session.js";
import { observationKeys } from "./api.js";
import { onQueueChange, queuedFor, syncQueue, type QueuedObservation, type SyncOutcome } from "./offline.js";

/** The signed-in person's observations saved on this device, kept current as saves and syncs happen. */
export function useDeviceQueue(): QueuedObservation[] {
  const me = useMe();
  const [items, setItems] = useState<QueuedObservation[]>([]);
  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      void queuedFor(me.person.id).then(
        (list) => isCurrent && setItems(list),
        () => undefined,
      );
    load();
    const stop = onQueueChange(load);
    return () => {
      isCurrent = false;
      stop();
    };
  }, [me.person.id]);
  return items;
}

/**
 * Sends what waits on this device when the pages open and whenever the network comes back, and
 * refreshes the lists when something reached the server.
 */
export function useSyncWhenOnline(): { sync: () => Promise<SyncOutcome | null> } {
  const me = useMe();
  const queryClient = useQueryClient();
  const sync = useCallback(async () => {
    if (!navigator.onLine) return null;
    const outcome = await syncQueue(me.person.id).catch(() => null);
    if (outcome && outcome.synced > 0) void queryClient.invalidateQueries({ queryKey: observationKeys.all });
    return outcome;
  }, [me.person.id, queryClient]);
  useEffect(() => {
    void sync();
    const onOnline = () => void sync();
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [sync]);
  return { sync };
}
