import type { Ctx } from "../context.js";
import { activeCoaches, activeStudentsAt, activeTeachersBySchool } from "../modules/people/api.js";
import { schoolsOfDistrict } from "../modules/schools/api.js";
import { reference, slaFor } from "../modules/helpdesk/defaults.js";
import * as helpdesk from "../modules/helpdesk/helpdesk.repository.js";

// The demo district's help desk (issue 14): at the first high school, tickets in every state a
// desk sees in a week — new ones (one already past its response target), one in progress, one
// waiting on the student, one escalated to Facilities (so the punch list has an item), resolved and
// closed ones with ratings — so a new user opens a living queue. Loaded once: a district that
// already has tickets is left alone, so re-running the demo changes nothing.

type Plan = {
  who: "student" | "teacher";
  category: string;
  description: string;
  location: string;
  status: "new" | "in_progress" | "waiting" | "escalated" | "resolved" | "closed";
  hoursAgo: number;
  priority?: "low" | "normal" | "high" | "urgent";
  reply?: string;
  /** An escalated one's note to the department, as "What they should know" on the ticket page. */
  escalationNote?: string;
  rating?: { score: number; comment: string };
};

const PLANS: readonly Plan[] = [
  { who: "student", category: "wont_charge", description: "My Chromebook will not charge, the light stays off", location: "Room 204", status: "new", hoursAgo: 1 },
  { who: "student", category: "cant_sign_in", description: "It says my password is wrong since the weekend", location: "Library", status: "new", hoursAgo: 30 },
  { who: "teacher", category: "not_connected", description: "The projector in my room does not find the laptop", location: "Room 112", status: "new", hoursAgo: 2, priority: "high" },
  { who: "student", category: "app_not_installed", description: "The math app is missing from my apps", location: "Room 118", status: "in_progress", hoursAgo: 5, reply: "Pushing it to your Chromebook now; restart it in five minutes." },
  { who: "student", category: "not_working", description: "The keyboard types double letters", location: "Room 221", status: "waiting", hoursAgo: 20, reply: "Does it happen with the on-screen keyboard too? Bring it to the desk at lunch if you can." },
  { who: "teacher", category: "broken", description: "The wall outlet by the charging cart sparks when a plug goes in", location: "Room 107", status: "escalated", hoursAgo: 26, priority: "urgent", reply: "Unplugged the cart and sent this to Facilities.", escalationNote: "Outlet on the east wall, left of the whiteboard; breaker 14 is off and taped. The cart is parked in Room 109 until it is fixed." },
  { who: "student", category: "not_working", description: "Chromebook freezes when I open the camera", location: "Room 204", status: "resolved", hoursAgo: 50, reply: "Updated it and cleared the camera settings; it works now.", rating: { score: 5, comment: "Fixed in two minutes, thank you!" } },
  { who: "student", category: "broken", description: "Cracked screen after my bag fell", location: "Front office", status: "closed", hoursAgo: 120, reply: "Swapped you to a loaner while the screen is replaced.", rating: { score: 4, comment: "Got a loaner the same day." } },
];

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * `studentEmail`: the demo student account's; its school's desk is the one filled, and its first
 * ticket is theirs, so that account has a ticket to follow.
 */
export async function loadDemoHelpdesk(ctx: Ctx, districtId: string, studentEmail: string | null = null): Promise<{ tickets: number } | null> {
  if ((await helpdesk.countTickets(ctx.db, { districtId, schoolIds: "all" }, 1)) > 0) return null;
  const ref = await reference(ctx.db, districtId);
  const studentQueue = ref.queues.find((q) => q.audience === "student");
  const staffQueue = ref.queues.find((q) => q.audience === "staff");
  if (!studentQueue || !staffQueue) return null;
  // The first high school with students and teachers; its desk is worked by a coach of that school,
  // else one of the district's (a district-wide coach works every school's desk).
  const coaches = await activeCoaches(ctx.db, districtId);
  let found: { school: { id: string }; students: { id: string }[]; teachers: { person_id: string }[]; coach: { person_id: string } } | undefined;
  const demoStudent = studentEmail
    ? await ctx.db
        .selectFrom("people as p")
        .innerJoin("role_assignments as ra", "ra.person_id", "p.id")
        .select(["p.id", "ra.school_id"])
        .where("p.district_id", "=", districtId)
        .where("p.email", "=", studentEmail)
        .where("ra.role", "=", "student")
        .executeTakeFirst()
    : undefined;
  const highSchools = (await schoolsOfDistrict(ctx.db, districtId)).filter((s) => s.level === "high");
  highSchools.sort((a, b) => Number(b.id === demoStudent?.school_id) - Number(a.id === demoStudent?.school_id));
  for (const school of highSchools) {
    const students = (await activeStudentsAt(ctx.db, districtId, [school.id])).sort((a, b) => Number(b.id === demoStudent?.id) - Number(a.id === demoStudent?.id));
    const teachers = await activeTeachersBySchool(ctx.db, districtId, [school.id]);
    const coach = coaches.find((c) => c.school_id === school.id) ?? coaches.find((c) => c.school_id === null) ?? coaches[0];
    if (students.length > 0 && teachers.length > 0 && coach) {
      found = { school, students, teachers, coach };
      break;
    }
  }
  if (!found) return null;
  const { school, students, teachers, coach } = found;
  const staffId = coach.person_id;
  return ctx.db.transaction().execute(async (trx) => {
    const facilities = await helpdesk.insertDepartment(trx, districtId, { name: "Facilities", kind: "department" });
    await helpdesk.insertContact(trx, { departmentId: facilities, name: "Facilities work orders", email: "facilities@maplevalley.example.org", phone: null, personId: null });
    await helpdesk.insertDepartment(trx, districtId, { name: "Valley Electric", kind: "contractor" });
    let n = 0;
    for (const [i, p] of PLANS.entries()) {
      const requester = p.who === "student" ? students[i % students.length]?.id : teachers[i % teachers.length]?.person_id;
      const category = ref.categories.find((c) => c.key === p.category);
      if (!requester || !category) continue;
      const at = hoursAgo(p.hoursAgo);
      const priority = p.priority ?? "normal";
      const sla = slaFor(ref, category.id, priority);
      const worked = p.status !== "new";
      const responded = worked ? plus(at, 20) : null;
      const done = p.status === "resolved" || p.status === "closed" ? plus(at, 90) : null;
      const row = await helpdesk.insertTicket(
        trx,
        {
          district_id: districtId, school_id: school.id, queue_id: p.who === "student" ? studentQueue.id : staffQueue.id, category_id: category.id, priority, status: p.status,
          title: `${category.name}: ${p.description}`.slice(0, 160), description: p.description, location: p.location, requester_id: requester, created_by: requester, via: "web",
          assignee_id: worked ? staffId : null, asset_id: null, department_id: p.status === "escalated" ? facilities : null,
          escalation_due_on: p.status === "escalated" ? new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) : null, escalated_at: p.status === "escalated" ? plus(at, 60) : null,
          escalation_note: p.escalationNote ?? null,
          response_due_at: plus(at, sla.response), resolution_due_at: plus(at, sla.resolution), first_response_at: responded,
          resolved_by: done ? staffId : null, resolved_by_student: done ? 0 : null, resolved_at: done, closed_at: p.status === "closed" ? plus(at, 24 * 60) : null,
          rating: p.rating?.score ?? null, rating_comment: p.rating?.comment ?? null, rated_at: p.rating && done ? plus(done, 60) : null, client_ref: null,
        },
        at,
      );
      await helpdesk.insertHistory(trx, row.id, { id: requester }, [{ field: "created", from: null, to: "web" }]);
      if (worked) await helpdesk.insertHistory(trx, row.id, { id: staffId }, [{ field: "status", from: "new", to: p.status }]);
      if (p.reply) await helpdesk.insertMessage(trx, { ticketId: row.id, authorId: staffId, visibility: "reply", body: p.reply });
      // Escalating keeps the note as a staff note in the conversation too.
      if (p.escalationNote) await helpdesk.insertMessage(trx, { ticketId: row.id, authorId: staffId, visibility: "staff_note", body: p.escalationNote });
      n++;
    }
    return { tickets: n };
  });
}
