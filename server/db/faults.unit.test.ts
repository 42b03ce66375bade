import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isStorageFull, wasNeverApplied } from "./faults.js";

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a refused connection", coded("ECONNREFUSED")],
    ["a refused connection inside an AggregateError (Node tries each address)", new AggregateError([coded("ECONNREFUSED")], "")],
    ["a reset wrapped as a cause", new Error("query failed", { cause: coded("ECONNRESET") })],
    ["an administrator's termination (57P01)", coded("57P01", "terminating connection due to administrator command")],
    ["a connection exception (08006)", coded("08006")],
    ["pg's lost connection", new Error("Connection terminated unexpectedly")],
    ["pg-pool's connection timeout", new Error("timeout exceeded when trying to connect")],
    ["pg's query read timeout", new Error("Query read timeout")],
    ["SQLite busy beyond its timeout", coded("SQLITE_BUSY")],
  ])("is true for %s", (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ["a unique violation", coded("23505")],
    ["a statement cancelled by statement_timeout (the connection is fine)", coded("57014")],
    ["a syntax error", coded("42601")],
    ["SQLite's constraint error", coded("SQLITE_CONSTRAINT_UNIQUE")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["a message that merely looks like pg's, with a SQLSTATE", coded("XX000", "Connection terminated unexpectedly")],
    ["nothing", undefined],
  ])("is false for %s", (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe("isStorageFull", () => {
  it("knows SQLite's and PostgreSQL's full disk, and nothing else", () => {
    expect(isStorageFull(coded("SQLITE_FULL", "database or disk is full"))).toBe(true);
    expect(isStorageFull(coded("53100", "could not extend file"))).toBe(true);
    expect(isStorageFull(coded("SQLITE_ERROR", "cannot rollback - no transaction is active"))).toBe(false);
    expect(isStorageFull(coded("ECONNREFUSED"))).toBe(false);
  });
});

describe("wasNeverApplied", () => {
  it("is true only where the statement cannot have run", () => {
    expect(wasNeverApplied(coded("EPIPE"))).toBe(true);
    expect(wasNeverApplied(coded("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(wasNeverApplied(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    // The answer may have been lost after the statement ran.
    expect(wasNeverApplied(coded("ECONNRESET"))).toBe(false);
    expect(wasNeverApplied(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(wasNeverApplied(new Error("Query read timeout"))).toBe(false);
    expect(wasNeverApplied(coded("23505"))).toBe(false);
  });
});
