import { describe, expect, it } from "vitest";
import { roomWindow } from "./roomWindow.js";

const event = { startsAt: "2026-12-10T02:00:00.000Z", endsAt: "2026-12-10T02:30:00.000Z", phase: "upcoming" as const };
const at = (iso: string) => Date.parse(iso);

describe("roomWindow", () => {
  it("is not open yet until 30 minutes before the start, and says when it opens", () => {
    expect(roomWindow(event, at("2026-12-09T14:00:00.000Z"))).toEqual({ state: "not_yet", opensAt: "2026-12-10T01:30:00.000Z" });
    expect(roomWindow(event, at("2026-12-10T01:29:59.999Z")).state).toBe("not_yet");
  });

  it("is open from 30 minutes before the start until 30 minutes after the end (the server's window)", () => {
    expect(roomWindow(event, at("2026-12-10T01:30:00.000Z"))).toEqual({ state: "open" });
    expect(roomWindow(event, at("2026-12-10T02:59:59.999Z"))).toEqual({ state: "open" });
    expect(roomWindow(event, at("2026-12-10T03:00:00.000Z"))).toEqual({ state: "closed", reason: "ended" });
  });

  it("follows the clock, not the phase read when the page loaded (a tab left open until the chat)", () => {
    expect(roomWindow({ ...event, phase: "upcoming" }, at("2026-12-10T02:05:00.000Z"))).toEqual({ state: "open" });
  });

  it("is closed for a cancelled chat", () => {
    expect(roomWindow({ ...event, phase: "cancelled" }, at("2026-12-10T02:05:00.000Z"))).toEqual({ state: "closed", reason: "cancelled" });
  });
});
