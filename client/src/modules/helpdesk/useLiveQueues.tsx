import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { deskStaffSchools, studentDeskSchools } from "../../../../shared/policy/helpdesk.js";
import type { TMe } from "../../../../shared/schemas/auth.js";
import { helpdeskKeys } from "./api.js";

export type LiveState = "connecting" | "live" | "offline";

/**
 * Follows the realtime hub's `helpdesk-queue:<district>.<audience>` topics the person may follow and
 * refetches the help desk's lists whenever one says its queue changed (or after a reconnect, since
 * events may have been missed). Events carry no ticket content: HTTP stays the source of truth.
 */
export function useLiveQueues(me: TMe): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const staff = deskStaffSchools(me.person);
  const isStaff = staff === "all" || staff.length > 0;
  const students = studentDeskSchools(me.person);
  const isAssistant = students === "all" || students.length > 0;
  const districtId = me.district.id;
  const audiences = isStaff ? ["student", "staff", "district"] : isAssistant ? ["student"] : [];
  const key = audiences.join(",");

  useEffect(() => {
    if (!key) return;
    let socket: WebSocket | null = null;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const refetch = () => void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
    const open = () => {
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/realtime`;
      socket = new WebSocket(url);
      setState("connecting");
      socket.onopen = () => {
        retry = 0;
        for (const audience of key.split(",")) socket?.send(JSON.stringify({ type: "subscribe", topic: `helpdesk-queue:${districtId}.${audience}` }));
      };
      socket.onmessage = (msg: MessageEvent<string>) => {
        const data = JSON.parse(msg.data) as { type: string };
        if (data.type === "subscribed") {
          setState("live");
          refetch();
        }
        if (data.type === "event") refetch();
      };
      socket.onclose = (ev) => {
        setState("offline");
        if (stopped || ev.code === 4401) return;
        retry = Math.min(retry + 1, 6);
        timer = setTimeout(open, 500 * 2 ** retry);
      };
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }, [key, districtId, queryClient]);
  return key ? state : "offline";
}

export function LiveBadge({ state }: { state: LiveState }) {
  const label = state === "live" ? "Live: new tickets appear by themselves" : state === "connecting" ? "Connecting…" : "Not live: reload to see new tickets";
  return (
    <span className={`hd-live hd-live--${state}`} role="status">
      <span className="hd-live__dot" aria-hidden="true" />
      {state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Offline"}
      <span className="visually-hidden"> — {label}</span>
    </span>
  );
}
