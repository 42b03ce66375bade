import { useEffect, useState } from "react";

/**
 * Follows one realtime topic over the hub's WebSocket and calls `onChange` for each event, and after
 * every (re)connection (events say "something changed"; the page refetches over HTTP). Reconnects
 * with a growing delay. Returns whether the socket is live.
 */
export function useTopic(topic: string | null, onChange: () => void): boolean {
  const [isLive, setIsLive] = useState(false);
  useEffect(() => {
    if (!topic) return;
    let socket: WebSocket | null = null;
    let isClosed = false;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const connect = () => {
      const scheme = window.location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${window.location.host}/api/v1/realtime`);
      socket.onopen = () => socket?.send(JSON.stringify({ type: "subscribe", topic }));
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { type: string };
        if (data.type === "subscribed") {
          retry = 0;
          setIsLive(true);
          onChange();
        } else if (data.type === "event") onChange();
      };
      socket.onclose = (event) => {
        setIsLive(false);
        if (isClosed || event.code === 4401) return;
        retry = Math.min(retry + 1, 6);
        timer = setTimeout(connect, 500 * 2 ** retry);
      };
    };
    connect();
    return () => {
      isClosed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
    // onChange is read at call time; re-subscribing on every render would drop events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [topic]);
  return isLive;
}
