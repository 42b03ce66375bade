import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

/** Where and when a result was measured; figures mean little without it. */
export type Machine = {
  date: string;
  cpuModel: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  postgres: string | null;
  loadAverage: [number, number, number];
};

export function machineInfo(postgresVersion: string | null): Machine {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpuModel = line.split(":")[1]?.trim() ?? cpuModel;
  } catch {
    // Not Linux: os.cpus() is as good as it gets.
  }
  let cores = os.availableParallelism();
  try {
    cores = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || cores;
  } catch {
    // nproc is GNU coreutils; availableParallelism() already answers the same question.
  }
  const [l1, l5, l15] = os.loadavg();
  return {
    date: new Date().toISOString(),
    cpuModel,
    cores,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: postgresVersion,
    loadAverage: [round(l1 ?? 0, 2), round(l5 ?? 0, 2), round(l15 ?? 0, 2)],
  };
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** A plain-text table with right-aligned numbers, for the terminal. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The same rows as a Markdown table, ready to paste into docs/benchmarks.md. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

/** A number for a table; "–" for none (NaN turns into null on its way through JSON between processes). */
export const fmt = (n: number | null | undefined, digits = 1): string =>
  n === undefined || n === null || Number.isNaN(n) ? "–" : n.toFixed(digits);
