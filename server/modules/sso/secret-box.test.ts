import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box.js";

const KEY = "an-app-secret-of-at-least-32-characters!";

describe("secret box", () => {
  it("round-trips a secret and never stores it in the clear", () => {
    const sealed = sealSecret(KEY, "GOCSPX-client-secret", "row-1");
    expect(sealed).not.toContain("GOCSPX");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(openSecret(KEY, sealed, "row-1")).toBe("GOCSPX-client-secret");
  });

  it("uses a fresh IV each time", () => {
    expect(sealSecret(KEY, "same", "row-1")).not.toBe(sealSecret(KEY, "same", "row-1"));
  });

  it("refuses another key, another row, and tampering", () => {
    const sealed = sealSecret(KEY, "secret", "row-1");
    expect(openSecret("another-app-secret-of-32-characters-xx", sealed, "row-1")).toBeUndefined();
    expect(openSecret(KEY, sealed, "row-2")).toBeUndefined();
    const parts = sealed.split(".");
    const data = Buffer.from(parts[3] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    parts[3] = data.toString("base64url");
    expect(openSecret(KEY, parts.join("."), "row-1")).toBeUndefined();
    expect(openSecret(KEY, "garbage", "row-1")).toBeUndefined();
  });
});
