import autocannon from "autocannon";

// Runs autocannon in its own process (forked by load.ts), so the load generator never shares an
// event loop with the server it measures. Receives one LoadJob, answers with its results, exits.
//
// The targets (the real route and the bare route) take turns over several rounds, so slow drift in
// what else the machine is doing lands on both rather than on whichever ran second.

export type LoadTarget = { label: string; paths: string[] };

export type LoadJob = {
  origin: string;
  headers: Record<string, string>;
  connections: number;
  targets: LoadTarget[];
  rounds: number;
  /** Warm-up before each target's first measured slice. */
  warmupSeconds: number;
  /** Warm-up before later slices, after the other target ran. */
  rewarmSeconds: number;
  /** Measured seconds per target per round. */
  sliceSeconds: number;
  timeoutSeconds: number;
};

export type LoadResult = {
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests per second in each round, to show how steady the figure was. */
  roundsRps: number[];
};

type Slice = { samples: number[]; seconds: number; non2xx: number; errors: number; timeouts: number };

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function slice(job: LoadJob, target: LoadTarget, seconds: number): Promise<Slice> {
  // autocannon's own histogram keeps whole milliseconds; collecting every response time keeps the fractions.
  const samples: number[] = [];
  const instance = autocannon({
    url: job.origin,
    connections: job.connections,
    duration: seconds,
    timeout: job.timeoutSeconds,
    headers: job.headers,
    // Each connection cycles through every path, so no single school or term is served from a warm cache.
    requests: target.paths.map((path) => ({ method: "GET", path })),
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
  });
  const result = await instance;
  return { samples, seconds: result.duration, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
}

function combine(slices: readonly Slice[]): LoadResult {
  const all = slices.flatMap((s) => s.samples);
  const sorted = Float64Array.from(all).sort();
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  return {
    requests: all.length,
    seconds,
    rps: all.length / seconds,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      mean: all.reduce((a, b) => a + b, 0) / Math.max(1, all.length),
    },
    non2xx: slices.reduce((a, s) => a + s.non2xx, 0),
    errors: slices.reduce((a, s) => a + s.errors, 0),
    timeouts: slices.reduce((a, s) => a + s.timeouts, 0),
    roundsRps: slices.map((s) => Math.round((s.samples.length / s.seconds) * 10) / 10),
  };
}

async function run(job: LoadJob): Promise<Record<string, LoadResult>> {
  const slices = new Map<string, Slice[]>(job.targets.map((t) => [t.label, []]));
  for (let round = 0; round < job.rounds; round++) {
    for (const target of job.targets) {
      const warmup = round === 0 ? job.warmupSeconds : job.rewarmSeconds;
      if (warmup > 0) await slice(job, target, warmup);
      slices.get(target.label)?.push(await slice(job, target, job.sliceSeconds));
    }
  }
  return Object.fromEntries([...slices.entries()].map(([label, s]) => [label, combine(s)]));
}

process.once("message", (job: LoadJob) => {
  run(job)
    .then((results) => process.send?.(results, () => process.exit(0)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
});
