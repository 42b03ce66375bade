import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS } from "./audit-actions.js";

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../server");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("audit action labels", () => {
  it("names every action the server records, so the audit log's filter offers it in words", () => {
    const codes = new Set<string>();
    for (const file of sources(SERVER)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/action: (?:existing \? )?"([a-z_.]+)"(?: : "([a-z_.]+)")?/g)) for (const code of m.slice(1)) if (code) codes.add(code);
      for (const m of text.matchAll(/entryAudit\("([a-z_.]+)"/g)) if (m[1]) codes.add(m[1]);
    }
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((c) => !(c in AUDIT_ACTION_LABELS))).toEqual([]);
  });
});
