import { WebSocket } from "ws";

// The chats benchmark's load client, in a child process so the sockets' work is not the server's:
// opens `count` WebSockets, subscribes each to the room, and checks every post arrives at every socket
// exactly once by its room number; reports latency (arrival minus the post's creation time).

type Input = { url: string; headers: Record<string, string>; count: number; topic: string | null; mode: "app" | "bare" };
const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const send = (m: unknown) => process.send?.(m);
const seen: Uint8Array[] = [];
const latencies: number[] = [];
let duplicates = 0;
let received = 0;
let maxSeq = 0;
const sockets: WebSocket[] = [];

function record(i: number, seq: number, sentAt: number): void {
  const bits = (seen[i] ??= new Uint8Array(4096));
  if (seq >= bits.length) {
    const bigger = new Uint8Array(seq * 2);
    bigger.set(bits);
    seen[i] = bigger;
  }
  const arr = seen[i] ?? bits;
  if (arr[seq]) duplicates++;
  arr[seq] = 1;
  received++;
  if (seq > maxSeq) maxSeq = seq;
  if (received % 7 === 0 || latencies.length < 5000) latencies.push(Date.now() - sentAt);
}

async function open(i: number): Promise<void> {
  const socket = new WebSocket(input.url, { headers: input.headers });
  sockets[i] = socket;
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("message", (data) => {
      const m = JSON.parse(String(data)) as { type: string; event?: { post?: { changedSeq: number; createdAt: string } }; seq?: number; sentAt?: number };
      if (input.mode === "bare") {
        if (m.type === "bare" && m.seq !== undefined && m.sentAt !== undefined) record(i, m.seq, m.sentAt);
        return;
      }
      if (m.type === "subscribed") resolve();
      else if (m.type === "event" && m.event?.post) record(i, m.event.post.changedSeq, Date.parse(m.event.post.createdAt));
    });
    socket.on("open", () => {
      if (input.topic) socket.send(JSON.stringify({ type: "subscribe", topic: input.topic }));
      else resolve();
    });
  });
}

async function main(): Promise<void> {
  for (let start = 0; start < input.count; start += 100) {
    await Promise.all(Array.from({ length: Math.min(100, input.count - start) }, (_, k) => open(start + k)));
  }
  send({ type: "ready" });
  process.on("message", (m: { type: string; firstSeq: number; lastSeq: number }) => {
    if (m.type !== "stop") return;
    let missing = 0;
    for (let i = 0; i < input.count; i++) {
      const bits = seen[i];
      for (let s = m.firstSeq; s <= m.lastSeq; s++) if (!bits?.[s]) missing++;
    }
    for (const s of sockets) s.terminate();
    send({ type: "done", received, duplicates, missing, latencies });
  });
}

void main().catch((err: unknown) => send({ type: "error", message: String(err) }));
