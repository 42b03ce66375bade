import { describe, expect, it } from "vitest";
import { loggerOptions } from "./logging.js";

describe("the server's log format", () => {
  it("is readable in a terminal and JSON otherwise, unless LOG_FORMAT says", () => {
    const pretty = (o: ReturnType<typeof loggerOptions>) => typeof o === "object" && "transport" in o && o.transport !== undefined;
    expect(pretty(loggerOptions({ logLevel: "info" }, true))).toBe(true);
    expect(pretty(loggerOptions({ logLevel: "info" }, false))).toBe(false);
    expect(pretty(loggerOptions({ logLevel: "info", logFormat: "json" }, true))).toBe(false);
    expect(pretty(loggerOptions({ logLevel: "info", logFormat: "pretty" }, false))).toBe(true);
    expect(loggerOptions({ logLevel: "warn", logFormat: "json" }, true)).toEqual({ level: "warn" });
  });
});
