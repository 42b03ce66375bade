import { ChatLimits, type TChatEventSummary } from "../../../../shared/schemas/chats.js";

export type RoomWindow = { state: "open" } | { state: "not_yet"; opensAt: string } | { state: "closed"; reason: "ended" | "cancelled" };

/**
 * Whether a participant (not a moderator) may post in the room at `now`: the server accepts posts
 * from `opensBeforeMinutes` before the start until `closesAfterMinutes` after the end (room.service's
 * isRoomOpen). The room says so before anyone types an answer that can only be refused.
 */
export function roomWindow(event: Pick<TChatEventSummary, "startsAt" | "endsAt" | "phase">, now: number): RoomWindow {
  if (event.phase === "cancelled") return { state: "closed", reason: "cancelled" };
  const opens = Date.parse(event.startsAt) - ChatLimits.opensBeforeMinutes * 60_000;
  const closes = Date.parse(event.endsAt) + ChatLimits.closesAfterMinutes * 60_000;
  if (now < opens) return { state: "not_yet", opensAt: new Date(opens).toISOString() };
  if (now >= closes) return { state: "closed", reason: "ended" };
  return { state: "open" };
}
