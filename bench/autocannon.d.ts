// autocannon ships no types; this declares the part of its programmatic API the load worker uses.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type Request = { method?: string; path?: string; headers?: Record<string, string> };

  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  };

  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p99: number };

  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    latency: Histogram;
    requests: Histogram & { total: number; sent: number };
    throughput: Histogram & { total: number };
  };

  export type Instance = EventEmitter & PromiseLike<Result>;

  export default function autocannon(opts: Options): Instance;
}
