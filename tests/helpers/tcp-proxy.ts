import net from "node:net";
import type { AddressInfo } from "node:net";

// A TCP proxy a test puts between the app and PostgreSQL to play the faults of a real network:
// the database going away (connections reset, new ones refused), a network that swallows packets
// (connections stay open, nothing arrives), and the way back.

export type ProxyMode = "forward" | "down" | "hang";

export type TcpProxy = {
  port: number;
  /** Forwards new connections again; connections that hung stay hung, as after a real outage. */
  restore(): void;
  /** Resets every open connection and refuses new ones: the database went away. */
  drop(): void;
  /** Open connections stop passing bytes and new ones are accepted but never answered. */
  hang(): void;
  /** Chunks the app sent that a hung connection swallowed: proof a request is stuck on one. */
  swallowed(): number;
  close(): Promise<void>;
};

type Pair = { client: net.Socket; upstream: net.Socket | null; isHung: boolean };

/** Listens on a random loopback port and forwards to `target` until told otherwise. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "forward";
  let swallowed = 0;
  const pairs = new Set<Pair>();

  const server = net.createServer((client) => {
    if (mode === "down") {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null, isHung: mode === "hang" };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on("error", forget);
    client.on("close", forget);
    if (pair.isHung) {
      // Accepted, then silence: never connects upstream.
      client.on("data", () => swallowed++);
      return;
    }
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on("error", forget);
    upstream.on("close", forget);
    client.on("data", (chunk) => {
      if (pair.isHung) swallowed++;
      else upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!pair.isHung) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    restore: () => {
      mode = "forward";
    },
    drop: () => {
      mode = "down";
      for (const pair of pairs) {
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      }
      pairs.clear();
    },
    hang: () => {
      mode = "hang";
      for (const pair of pairs) pair.isHung = true;
    },
    swallowed: () => swallowed,
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
