import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.js";
import { shouldRetry } from "./query.js";

const error = (status: number) => new ApiError({ status, code: status === 0 ? "network_error" : "internal", message: "x" });

describe("shouldRetry", () => {
  it("never retries an answer from the server (4xx)", () => {
    for (const status of [400, 401, 403, 404, 409, 429]) expect(shouldRetry(0, error(status))).toBe(false);
  });
  it("retries lost connections and server errors, twice at most", () => {
    expect(shouldRetry(0, error(0))).toBe(true);
    expect(shouldRetry(1, error(503))).toBe(true);
    expect(shouldRetry(2, error(500))).toBe(false);
  });
});
