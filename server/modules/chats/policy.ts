import { canHostChats, canManageSeries, canModerateSeries, canSeeSeries, type ChatSeriesFacts } from "../../../shared/policy/chats.js";
import type { Actor } from "../../auth/actor.js";
import { forbidden } from "../../errors.js";

// The server's side of shared/policy/chats.ts: the same rules, refusing with a 403.

export function assertCanHost(actor: Actor): void {
  if (!canHostChats(actor)) throw forbidden("Only coaches and district admins host chats");
}

export function assertCanSee(actor: Actor, s: ChatSeriesFacts): void {
  if (!canSeeSeries(actor, s)) throw forbidden("This chat is for another audience");
}

export function assertCanManage(actor: Actor, s: ChatSeriesFacts): void {
  if (!canManageSeries(actor, s)) throw forbidden("Only the chat's moderators change it");
}

export function assertCanModerate(actor: Actor, s: ChatSeriesFacts): void {
  if (!canModerateSeries(actor, s)) throw forbidden("Only the chat's moderators and co-moderators do this");
}
