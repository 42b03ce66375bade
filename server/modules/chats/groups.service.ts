import { isDistrictAdmin } from "../../../shared/policy/actor.js";
import { canHostChats, canManageSeries } from "../../../shared/policy/chats.js";
import type { TChatGroup, TGroupMessage } from "../../../shared/schemas/chats.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { newId, nowIso } from "../../lib.js";
import { auditedWrite, type Writer } from "../../platform/writes.js";
import { displayName, namesByIds, staffByIds } from "../people/api.js";
import * as repo from "./chats.repository.js";
import { loadSeries } from "./chats.service.js";

// Private groups: a members-only space per series (or on its own) for threads between chats, like
// seed 000's Voxer group. Only members read and write; its creator (and a district admin) changes
// the member list. Nobody else sees that a group exists.

async function loadGroup(ctx: Ctx, actor: Actor, id: string): Promise<{ group: repo.GroupRow; memberIds: string[] }> {
  const group = await repo.findGroup(ctx.db, id);
  if (!group || group.district_id !== actor.districtId) throw notFound("Group");
  const memberIds = (await repo.membersOf(ctx.db, [group.id])).map((m) => m.person_id);
  // Not a member: the group is not there for them (a 404 says no more than that).
  if (!memberIds.includes(actor.personId)) throw notFound("Group");
  return { group, memberIds };
}

const canManageGroup = (actor: Actor, group: repo.GroupRow) => group.created_by === actor.personId || isDistrictAdmin(actor);

async function presentGroups(ctx: Ctx, actor: Actor, groups: repo.GroupRow[]): Promise<TChatGroup[]> {
  const members = await repo.membersOf(ctx.db, groups.map((g) => g.id));
  const names = await namesByIds(ctx.db, members.map((m) => m.person_id));
  return groups.map((g) => ({
    id: g.id,
    seriesId: g.series_id,
    name: g.name,
    createdBy: g.created_by,
    members: members.filter((m) => m.group_id === g.id).map((m) => ({ personId: m.person_id, name: displayName(names, m.person_id) })),
    canManage: canManageGroup(actor, g),
  }));
}

async function checkMembers(ctx: Ctx, districtId: string, ids: readonly string[]): Promise<void> {
  const found = new Set((await staffByIds(ctx.db, districtId, ids)).map((r) => r.id));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw fieldError(`body.memberIds.${missing}`, "is not active staff in this district");
}

/** The groups the actor belongs to. */
export async function listGroups(ctx: Ctx, actor: Actor): Promise<{ items: TChatGroup[] }> {
  return { items: await presentGroups(ctx, actor, await repo.groupsOfPerson(ctx.db, actor.districtId, actor.personId)) };
}

/** Creates a group (hosts; for a series, its moderators); the creator is a member. */
export async function createGroup(ctx: Ctx, who: Writer, body: { name: string; seriesId: string | null; memberIds: string[] }): Promise<TChatGroup> {
  const actor = who.actor;
  if (body.seriesId) {
    const series = await loadSeries(ctx.db, body.seriesId, actor.districtId);
    if (!canManageSeries(actor, series.facts)) throw forbidden("Only the chat's moderators make its private group");
  } else if (!canHostChats(actor)) throw forbidden("Only coaches and district admins make private groups");
  await checkMembers(ctx, actor.districtId, body.memberIds);
  const id = newId();
  const now = nowIso();
  await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await repo.insertGroup(trx, { id, district_id: actor.districtId, series_id: body.seriesId, name: body.name, created_by: actor.personId, created_at: now });
      await repo.replaceMembers(trx, id, [actor.personId, ...body.memberIds], now);
    },
    () => ({ action: "chats.group.create", subjectType: "chat_group", subjectId: id, details: { members: body.memberIds.length + 1 } }),
  );
  const group = await repo.findGroup(ctx.db, id);
  if (!group) throw notFound("Group");
  return (await presentGroups(ctx, actor, [group]))[0] as TChatGroup;
}

/** Replaces a group's members (its creator or a district admin who is a member); the creator stays. */
export async function setGroupMembers(ctx: Ctx, who: Writer, groupId: string, memberIds: string[]): Promise<TChatGroup> {
  const { group } = await loadGroup(ctx, who.actor, groupId);
  if (!canManageGroup(who.actor, group)) throw forbidden("Only the group's creator changes who is in it");
  await checkMembers(ctx, group.district_id, memberIds);
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.replaceMembers(trx, group.id, [group.created_by, ...memberIds], nowIso()),
    () => ({ action: "chats.group.members", subjectType: "chat_group", subjectId: group.id, details: { members: memberIds.length } }),
  );
  const fresh = await repo.findGroup(ctx.db, group.id);
  if (!fresh) throw notFound("Group");
  return (await presentGroups(ctx, who.actor, [fresh]))[0] as TChatGroup;
}

async function presentMessages(ctx: Ctx, rows: repo.GroupMessageRow[]): Promise<TGroupMessage[]> {
  const names = await namesByIds(ctx.db, rows.map((r) => r.author_id));
  const counts = await repo.replyCounts(ctx.db, rows.filter((r) => r.thread_id === null).map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    threadId: r.thread_id,
    title: r.title,
    author: { personId: r.author_id, name: displayName(names, r.author_id) },
    body: r.body,
    createdAt: r.created_at,
    replyCount: counts.get(r.id) ?? 0,
  }));
}

/** A group's threads, or one thread's messages (members only). */
export async function listMessages(ctx: Ctx, actor: Actor, groupId: string, threadId: string | null): Promise<{ items: TGroupMessage[] }> {
  await loadGroup(ctx, actor, groupId);
  if (threadId) {
    const first = await repo.findGroupMessage(ctx.db, threadId);
    if (!first || first.group_id !== groupId || first.thread_id !== null) throw notFound("Thread");
    return { items: await presentMessages(ctx, [first, ...(await repo.groupMessages(ctx.db, groupId, threadId, 500))]) };
  }
  return { items: await presentMessages(ctx, await repo.groupMessages(ctx.db, groupId, null, 200)) };
}

/** Starts a thread (with a title) or replies in one (members only). */
export async function postMessage(ctx: Ctx, actor: Actor, groupId: string, body: { title?: string; body: string; threadId?: string }): Promise<TGroupMessage> {
  await loadGroup(ctx, actor, groupId);
  if (body.threadId) {
    const first = await repo.findGroupMessage(ctx.db, body.threadId);
    if (!first || first.group_id !== groupId || first.thread_id !== null) throw fieldError("body.threadId", "is not a thread of this group");
  } else if (!body.title) throw fieldError("body.title", "a new thread needs a title");
  const id = newId();
  await repo.insertGroupMessage(ctx.db, { id, group_id: groupId, thread_id: body.threadId ?? null, author_id: actor.personId, title: body.threadId ? null : (body.title ?? null), body: body.body, created_at: nowIso() });
  const row = await repo.findGroupMessage(ctx.db, id);
  if (!row) throw notFound("Message");
  return (await presentMessages(ctx, [row]))[0] as TGroupMessage;
}
