import type { Role } from "../roles.js";
import { isDistrictAdmin, type PolicyActor } from "./actor.js";

// Who may do what with devices. Role and school scope, every time:
// - IT staff manage the inventory at their schools (district-wide IT and district admins everywhere);
//   school leaders read their schools' inventory;
// - a pickup station is run by IT staff, coaches and student techs at a rollout's schools; the station
//   sees only what the pickup needs (name, grade, photo, device), never other student records;
// - the live board (students still to come, by name) is for staff: IT, coaches, leaders at those schools;
// - a person sees their own devices; IT, coaches and leaders see those of people at their schools;
// - shared resources (carts, labs) are booked by a school's staff; IT staff and admins add resources.

type Who = Pick<PolicyActor, "roles">;

/** Schools where the actor holds one of `roles`: "all" for admins and district-wide grants. */
export function schoolsWith(actor: Who, roles: readonly Role[]): "all" | string[] {
  if (isDistrictAdmin(actor)) return "all";
  const ids: string[] = [];
  for (const g of actor.roles) {
    if (!roles.includes(g.role)) continue;
    if (g.schoolId === null) return "all";
    if (!ids.includes(g.schoolId)) ids.push(g.schoolId);
  }
  return ids;
}

const covers = (scope: "all" | string[], schoolId: string | null): boolean => scope === "all" || (schoolId !== null && scope.includes(schoolId));
const coversAny = (scope: "all" | string[], schoolIds: readonly string[]): boolean => scope === "all" || schoolIds.some((s) => scope.includes(s));
const coversAll = (scope: "all" | string[], schoolIds: readonly string[]): boolean => scope === "all" || (schoolIds.length > 0 && schoolIds.every((s) => scope.includes(s)));

/** Schools whose inventory the actor manages (IT staff; admins everywhere). A device with no school is the district's. */
export const inventoryManageSchools = (actor: Who) => schoolsWith(actor, ["it_staff"]);
/** Schools whose inventory the actor reads: IT staff and school leaders. */
export const inventoryReadSchools = (actor: Who) => schoolsWith(actor, ["it_staff", "school_leader"]);

export const canManageInventoryAt = (actor: Who, schoolId: string | null): boolean => covers(inventoryManageSchools(actor), schoolId);
export const canReadInventoryAt = (actor: Who, schoolId: string | null): boolean => covers(inventoryReadSchools(actor), schoolId);
/** Whether the Devices pages have anything for the actor beyond their own device. */
export const canOpenInventory = (actor: Who): boolean => {
  const s = inventoryReadSchools(actor);
  return s === "all" || s.length > 0;
};
/** Models are the district's: admins and any IT staff add them. */
export const canManageModels = (actor: Who): boolean => isDistrictAdmin(actor) || actor.roles.some((g) => g.role === "it_staff");

/** Rollouts are planned by whoever manages the inventory of every school they cover. */
export const canManageRollout = (actor: Who, schoolIds: readonly string[]): boolean => coversAll(inventoryManageSchools(actor), schoolIds);
/** Stations: IT staff, coaches and student techs at one of the rollout's schools. */
export const canRunStation = (actor: Who, schoolIds: readonly string[]): boolean => coversAny(schoolsWith(actor, ["it_staff", "coach", "student_tech"]), schoolIds);
/** The board lists students by name: staff only. */
export const canSeeBoard = (actor: Who, schoolIds: readonly string[]): boolean => coversAny(schoolsWith(actor, ["it_staff", "coach", "school_leader"]), schoolIds);
/** A rollout is listed to those who run its stations or see its board. */
export const canSeeRollout = (actor: Who, schoolIds: readonly string[]): boolean => canRunStation(actor, schoolIds) || canSeeBoard(actor, schoolIds);

/** A person's devices: their own, or staff who look after devices at one of the person's schools. */
export function canReadPersonDevices(actor: PolicyActor, person: { id: string; schoolIds: readonly (string | null)[] }): boolean {
  if (actor.personId === person.id) return true;
  const scope = schoolsWith(actor, ["it_staff", "coach", "school_leader"]);
  return scope === "all" || person.schoolIds.some((s) => s !== null && scope.includes(s));
}

/** Shared resources: a school's staff book them and see their calendars. */
export const canBookAt = (actor: Who, schoolId: string): boolean => covers(schoolsWith(actor, ["teacher", "coach", "school_leader", "it_staff"]), schoolId);
export const canManageResourcesAt = (actor: Who, schoolId: string): boolean => canManageInventoryAt(actor, schoolId);
