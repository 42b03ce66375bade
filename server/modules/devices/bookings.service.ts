import ical from "ical-generator";
import { canBookAt, canManageResourcesAt, schoolsWith } from "../../../shared/policy/devices.js";
import type { TBooking, TResource } from "../../../shared/schemas/devices.js";
import type { Actor } from "../../auth/actor.js";
import type { Ctx } from "../../context.js";
import { AppError, fieldError, notFound } from "../../errors.js";
import { randomToken, safeEqual } from "../../lib.js";
import { displayName, namesByIds } from "../people/api.js";
import { isSchoolOfDistrict, schoolNamesByIds } from "../schools/api.js";
import { auditedWrite, lockFor, type Writer } from "../../platform/writes.js";
import * as repo from "./devices.repository.js";
import { assertCanBookAt, assertCanManageResourcesAt } from "./policy.js";

// Shared resources (carts, labs, the makerspace) and their bookings. Overlaps are refused inside the
// write transaction: on PostgreSQL under an advisory lock per resource (two racing bookings cannot
// both see a free slot), on SQLite by its single writer. Each resource has an iCal feed at a secret
// address, since calendar apps cannot sign in.

const BOOKERS = ["teacher", "coach", "school_leader", "it_staff"] as const;
type ResourceRow = NonNullable<Awaited<ReturnType<typeof repo.findResource>>>;
const iso = (value: string) => new Date(value).toISOString();

function feedUrl(ctx: Ctx, r: ResourceRow): string {
  return `${ctx.config.publicUrl ?? ""}/api/v1/devices/resources/${r.id}/feed.ics?token=${r.feed_token}`;
}

function present(ctx: Ctx, actor: Actor, r: ResourceRow, schoolName: string): TResource {
  const canManage = canManageResourcesAt(actor, r.school_id);
  return { id: r.id, schoolId: r.school_id, schoolName, name: r.name, kind: r.kind as TResource["kind"], feedUrl: canBookAt(actor, r.school_id) ? feedUrl(ctx, r) : null, canManage };
}

/** Resources at the caller's schools. */
export async function listResources(ctx: Ctx, actor: Actor): Promise<{ items: TResource[] }> {
  const rows = await repo.listResources(ctx.db, actor.districtId, schoolsWith(actor, BOOKERS));
  const names = await schoolNamesByIds(ctx.db, rows.map((r) => r.school_id));
  return { items: rows.map((r) => present(ctx, actor, r, names.get(r.school_id) ?? "")) };
}

export async function createResource(ctx: Ctx, who: Writer, body: { schoolId: string; name: string; kind: string }): Promise<TResource> {
  if (!(await isSchoolOfDistrict(ctx.db, who.actor.districtId, body.schoolId))) throw fieldError("body.schoolId", "is not a school of this district");
  assertCanManageResourcesAt(who.actor, body.schoolId);
  const id = await auditedWrite(
    ctx,
    who,
    (trx) => repo.insertResource(trx, { districtId: who.actor.districtId, ...body, feedToken: randomToken(24) }),
    (resourceId) => ({ action: "device.resource.create", subjectType: "device_resource", subjectId: resourceId, details: { name: body.name } }),
  );
  const row = await repo.findResource(ctx.db, who.actor.districtId, id);
  if (!row) throw notFound("Resource");
  return present(ctx, who.actor, row, (await schoolNamesByIds(ctx.db, [row.school_id])).get(row.school_id) ?? "");
}

async function bookableResource(ctx: Ctx, actor: Actor, id: string): Promise<ResourceRow> {
  const row = await repo.findResource(ctx.db, actor.districtId, id);
  if (!row || !canBookAt(actor, row.school_id)) throw notFound("Resource");
  return row;
}

async function presentBookings(ctx: Ctx, actor: Actor, r: ResourceRow, rows: Awaited<ReturnType<typeof repo.bookingsBetween>>): Promise<TBooking[]> {
  const names = await namesByIds(ctx.db, rows.map((b) => b.booked_by));
  const canManage = canManageResourcesAt(actor, r.school_id);
  return rows.map((b) => ({ id: b.id, resourceId: b.resource_id, title: b.title, startsAt: iso(b.starts_at), endsAt: iso(b.ends_at), bookedBy: b.booked_by, bookedByName: displayName(names, b.booked_by), canCancel: canManage || b.booked_by === actor.personId }));
}

/** A resource's bookings between two instants (its calendar). */
export async function listBookings(ctx: Ctx, actor: Actor, resourceId: string, q: { from: string; to: string }): Promise<{ items: TBooking[] }> {
  const r = await bookableResource(ctx, actor, resourceId);
  if (q.to <= q.from) throw fieldError("query.to", "must be after from");
  return { items: await presentBookings(ctx, actor, r, await repo.bookingsBetween(ctx.db, r.id, iso(q.from), iso(q.to))) };
}

/** Books a resource; 409 naming the booking in the way when the time overlaps one. */
export async function createBooking(ctx: Ctx, who: Writer, resourceId: string, body: { title: string; startsAt: string; endsAt: string }): Promise<TBooking> {
  const r = await bookableResource(ctx, who.actor, resourceId);
  assertCanBookAt(who.actor, r.school_id);
  const startsAt = iso(body.startsAt);
  const endsAt = iso(body.endsAt);
  const id = await auditedWrite(
    ctx,
    who,
    async (trx) => {
      await lockFor(trx, ctx.dialect, `device_resource:${r.id}`);
      const [clash] = await repo.bookingsBetween(trx, r.id, startsAt, endsAt);
      if (clash) {
        throw new AppError("conflict", `${r.name} is booked from ${iso(clash.starts_at)} to ${iso(clash.ends_at)} ("${clash.title}")`, {
          issues: [{ path: "body.startsAt", message: "overlaps another booking" }],
        });
      }
      return repo.insertBooking(trx, { resourceId: r.id, title: body.title, startsAt, endsAt, by: who.actor.personId });
    },
    (bookingId) => ({ action: "device.booking.create", subjectType: "device_resource", subjectId: r.id, details: { bookingId, startsAt, endsAt } }),
  );
  const [booking] = await presentBookings(ctx, who.actor, r, (await repo.bookingsBetween(ctx.db, r.id, startsAt, endsAt)).filter((b) => b.id === id));
  if (!booking) throw notFound("Booking");
  return booking;
}

/** Cancels a booking: its booker, or whoever manages the resource. */
export async function cancelBooking(ctx: Ctx, who: Writer, bookingId: string): Promise<void> {
  const b = await repo.findBooking(ctx.db, bookingId);
  if (!b || b.district_id !== who.actor.districtId || !canBookAt(who.actor, b.school_id)) throw notFound("Booking");
  if (b.booked_by !== who.actor.personId && !canManageResourcesAt(who.actor, b.school_id)) throw new AppError("forbidden", "Only the person who booked it, or IT staff, cancel a booking");
  await auditedWrite(
    ctx,
    who,
    (trx) => repo.deleteBooking(trx, bookingId),
    () => ({ action: "device.booking.cancel", subjectType: "device_resource", subjectId: b.resource_id, details: { bookingId } }),
  );
}

/** The resource's calendar as iCal, for its feed's secret address (from 30 days back). */
export async function feed(ctx: Ctx, resourceId: string, token: string): Promise<string> {
  const r = await repo.findResource(ctx.db, null, resourceId);
  if (!r || !safeEqual(r.feed_token, token)) throw notFound("Calendar");
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const rows = await repo.bookingsBetween(ctx.db, r.id, from, "9999-12-31T00:00:00.000Z");
  const names = await namesByIds(ctx.db, rows.map((b) => b.booked_by));
  const cal = ical({ name: r.name, prodId: { company: "Coachwork", product: "devices" } });
  for (const b of rows) cal.createEvent({ id: b.id, start: new Date(b.starts_at), end: new Date(b.ends_at), summary: `${b.title} — ${displayName(names, b.booked_by)}`, location: r.name });
  return cal.toString();
}
