import { describe, expect, it } from "vitest";
import { linkify } from "./chat-text.js";

describe("chat post text", () => {
  it("makes http and https addresses links and leaves everything else as text", () => {
    expect(linkify('<script>alert(1)</script> see https://example.org/a?b=1. and javascript:alert(1) or data:text/html,x')).toEqual([
      { kind: "text", text: "<script>alert(1)</script> see " },
      { kind: "link", text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      { kind: "text", text: ". and javascript:alert(1) or data:text/html,x" },
    ]);
  });
  it("does not let a quote or angle bracket end up inside a link", () => {
    const pieces = linkify('"http://x.test/"onmouseover="alert(1)"');
    expect(pieces.filter((p) => p.kind === "link").map((p) => (p.kind === "link" ? p.href : ""))).toEqual(["http://x.test/"]);
  });
});
