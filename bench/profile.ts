import type { Profiler } from "node:inspector";
import { Session } from "node:inspector/promises";
import { round } from "./report.js";

// A V8 CPU profile of this process (the server side of the benchmark) while a load test runs,
// summarised by where the time went: which package, which function. The raw .cpuprofile opens in
// Chrome DevTools or speedscope for the full picture.

export type ProfileSummary = {
  totalMs: number;
  /** Self time by owner: a package under node_modules, "coachwork", "node internals", "gc", "idle"… */
  byOwner: { owner: string; ms: number; pct: number }[];
  /** The functions with the most self time. */
  topFunctions: { fn: string; owner: string; ms: number; pct: number }[];
};

/** Starts sampling; the returned function stops and returns the profile. */
export async function startProfile(): Promise<() => Promise<Profiler.Profile>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 250 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    await session.post("Profiler.disable");
    session.disconnect();
    return profile;
  };
}

function ownerOf(node: Profiler.ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === "(garbage collector)") return "gc";
  if (functionName === "(idle)") return "idle (waiting for I/O)";
  if (functionName === "(program)") return "(program: native, unattributed)";
  if (!url) return "native / V8 builtins";
  if (url.startsWith("node:")) return "node internals";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m?.[1]) return m[1];
  if (url.includes("/bench/")) return "bench (bare route)";
  if (url.includes("/server/") || url.includes("/shared/")) return "coachwork";
  return "other";
}

/** Self time by owner and by function, from the profile's samples. */
export function summarizeProfile(profile: Profiler.Profile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  let total = 0;
  const owners = new Map<string, number>();
  const fns = new Map<string, { fn: string; owner: string; us: number }>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const owner = ownerOf(node);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split("/").slice(-2).join("/");
    const fn = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    const entry = fns.get(fn) ?? { fn, owner, us: 0 };
    entry.us += us;
    fns.set(fn, entry);
  }
  const pct = (us: number) => round((100 * us) / Math.max(1, total), 1);
  return {
    totalMs: round(total / 1000, 0),
    byOwner: [...owners.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([owner, us]) => ({ owner, ms: round(us / 1000, 0), pct: pct(us) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ fn: f.fn, owner: f.owner, ms: round(f.us / 1000, 0), pct: pct(f.us) })),
  };
}
