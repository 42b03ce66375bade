import { sql, type Kysely } from "kysely";
import { dialectOf, timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 14: the help desk. Tickets from students and staff go to queues (the student help desk, a
// school's tech, district departments) whose members work them through a fixed workflow; every
// change is a row of `helpdesk_ticket_history`; replies and notes are `helpdesk_messages`; photos are
// re-encoded and kept in the database (`helpdesk_attachments`) so any app server can serve them.
// Categories, queues, SLA targets, departments and contractors are data, seeded per district on
// first use. `asset_id` is the devices module's asset, when known (no foreign key: another module's).
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);
  const blob = dialectOf(db) === "postgres" ? "bytea" : "blob";

  await db.schema
    .createTable("helpdesk_categories")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','retired')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_categories_key_uq").on("helpdesk_categories").columns(["district_id", "key"]).unique().execute();

  await db.schema
    .createTable("helpdesk_queues")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // student: worked by student assistants (student_tech); staff: the schools' tech staff; district: departments.
    .addColumn("audience", "text", (c) => c.notNull().check(sql`audience in ('student','staff','district')`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_queues_key_uq").on("helpdesk_queues").columns(["district_id", "key"]).unique().execute();

  await db.schema
    .createTable("helpdesk_queue_members")
    .addColumn("queue_id", "text", (c) => c.notNull().references("helpdesk_queues.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("helpdesk_queue_members_pk", ["queue_id", "person_id"])
    .execute();
  await db.schema.createIndex("helpdesk_queue_members_person_idx").on("helpdesk_queue_members").columns(["person_id"]).execute();

  // Response and resolution targets per category and priority, in minutes.
  await db.schema
    .createTable("helpdesk_sla_targets")
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("category_id", "text", (c) => c.notNull().references("helpdesk_categories.id"))
    .addColumn("priority", "text", (c) => c.notNull().check(sql`priority in ('low','normal','high','urgent')`))
    .addColumn("response_minutes", "integer", (c) => c.notNull().check(sql`response_minutes > 0`))
    .addColumn("resolution_minutes", "integer", (c) => c.notNull().check(sql`resolution_minutes > 0`))
    .addPrimaryKeyConstraint("helpdesk_sla_targets_pk", ["category_id", "priority"])
    .execute();

  // Departments of the district and outside contractors that own problems a desk escalates.
  await db.schema
    .createTable("helpdesk_departments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('department','contractor')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active','archived')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_departments_name_uq").on("helpdesk_departments").columns(["district_id", "name"]).unique().execute();

  await db.schema
    .createTable("helpdesk_contacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("department_id", "text", (c) => c.notNull().references("helpdesk_departments.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone", "text")
    // A contact who signs in (a district employee) sees the department's punch list as themselves.
    .addColumn("person_id", "text", (c) => c.references("people.id"))
    // A contact without an account opens the punch list with a link: only the SHA-256 of its token is kept.
    .addColumn("link_token_hash", "text")
    .addColumn("link_created_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_contacts_department_idx").on("helpdesk_contacts").columns(["department_id"]).execute();
  await db.schema.createIndex("helpdesk_contacts_person_idx").on("helpdesk_contacts").columns(["person_id"]).execute();
  await db.schema.createIndex("helpdesk_contacts_token_uq").on("helpdesk_contacts").columns(["link_token_hash"]).unique().execute();

  await db.schema
    .createTable("helpdesk_tickets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("queue_id", "text", (c) => c.notNull().references("helpdesk_queues.id"))
    .addColumn("category_id", "text", (c) => c.notNull().references("helpdesk_categories.id"))
    .addColumn("priority", "text", (c) => c.notNull().check(sql`priority in ('low','normal','high','urgent')`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('new','triaged','in_progress','waiting','escalated','resolved','closed')`),
    )
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("requester_id", "text", (c) => c.notNull().references("people.id"))
    // Who typed it in: the requester, or a student assistant at the kiosk.
    .addColumn("created_by", "text", (c) => c.notNull().references("people.id"))
    .addColumn("via", "text", (c) => c.notNull().check(sql`via in ('web','kiosk','api','module')`))
    .addColumn("assignee_id", "text", (c) => c.references("people.id"))
    .addColumn("asset_id", "text")
    .addColumn("department_id", "text", (c) => c.references("helpdesk_departments.id"))
    .addColumn("escalation_due_on", "text")
    .addColumn("escalated_at", ts)
    .addColumn("response_due_at", ts, (c) => c.notNull())
    .addColumn("resolution_due_at", ts, (c) => c.notNull())
    .addColumn("first_response_at", ts)
    // Whether a student assistant (student_tech) resolved it: the share handled by students.
    .addColumn("resolved_by", "text", (c) => c.references("people.id"))
    .addColumn("resolved_by_student", "integer", (c) => c.check(sql`resolved_by_student in (0, 1)`))
    .addColumn("resolved_at", ts)
    .addColumn("closed_at", ts)
    .addColumn("rating", "integer", (c) => c.check(sql`rating between 1 and 5`))
    .addColumn("rating_comment", "text")
    .addColumn("rated_at", ts)
    .addColumn("client_ref", "text")
    // The calendar day it was filed (UTC, YYYY-MM-DD), for reports by week on either database.
    .addColumn("created_on", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  // The queue page: a queue's open tickets, oldest first, and its done ones.
  await db.schema.createIndex("helpdesk_tickets_queue_idx").on("helpdesk_tickets").columns(["queue_id", "status", "created_at", "id"]).execute();
  // A queue's open tickets in order, whatever the size of its history (the queue page over a million tickets).
  await sql`create index helpdesk_tickets_open_idx on helpdesk_tickets (queue_id, created_at, id) where status in ('new', 'triaged', 'in_progress', 'waiting', 'escalated')`.execute(db);
  await db.schema.createIndex("helpdesk_tickets_requester_idx").on("helpdesk_tickets").columns(["requester_id", "created_at"]).execute();
  await db.schema.createIndex("helpdesk_tickets_assignee_idx").on("helpdesk_tickets").columns(["assignee_id", "created_at"]).execute();
  await db.schema.createIndex("helpdesk_tickets_district_idx").on("helpdesk_tickets").columns(["district_id", "created_on"]).execute();
  await db.schema.createIndex("helpdesk_tickets_department_idx").on("helpdesk_tickets").columns(["department_id", "status"]).execute();
  await db.schema.createIndex("helpdesk_tickets_asset_idx").on("helpdesk_tickets").columns(["asset_id"]).execute();
  await db.schema.createIndex("helpdesk_tickets_client_ref_uq").on("helpdesk_tickets").columns(["created_by", "client_ref"]).unique().execute();

  await db.schema
    .createTable("helpdesk_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("helpdesk_tickets.id"))
    .addColumn("author_id", "text", (c) => c.references("people.id"))
    // Who wrote it when no person did: a department contact through their link.
    .addColumn("author_label", "text")
    // reply: the requester reads it; note: the desk (student assistants too); staff_note: staff only.
    .addColumn("visibility", "text", (c) => c.notNull().check(sql`visibility in ('reply','note','staff_note')`))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_messages_ticket_idx").on("helpdesk_messages").columns(["ticket_id", "created_at"]).execute();

  await db.schema
    .createTable("helpdesk_ticket_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("helpdesk_tickets.id"))
    .addColumn("actor_id", "text", (c) => c.references("people.id"))
    .addColumn("actor_label", "text")
    // created, status, assignee, priority, category, queue, escalated, rated, attachment, reply, note
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("from_value", "text")
    .addColumn("to_value", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_history_ticket_idx").on("helpdesk_ticket_history").columns(["ticket_id", "created_at"]).execute();

  await db.schema
    .createTable("helpdesk_canned_replies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_canned_title_uq").on("helpdesk_canned_replies").columns(["district_id", "title"]).unique().execute();

  // Photos, re-encoded (metadata dropped) and kept in the database so every app server serves them.
  await db.schema
    .createTable("helpdesk_attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("helpdesk_tickets.id"))
    .addColumn("uploaded_by", "text", (c) => c.notNull().references("people.id"))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("data", blob, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("helpdesk_attachments_ticket_idx").on("helpdesk_attachments").columns(["ticket_id"]).execute();

  // The kiosk finds a student by the number on their card.
  await db.schema.createIndex("people_student_number_idx").on("people").columns(["district_id", "student_number"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("people_student_number_idx").execute();
  for (const t of [
    "helpdesk_attachments",
    "helpdesk_canned_replies",
    "helpdesk_ticket_history",
    "helpdesk_messages",
    "helpdesk_tickets",
    "helpdesk_contacts",
    "helpdesk_departments",
    "helpdesk_sla_targets",
    "helpdesk_queue_members",
    "helpdesk_queues",
    "helpdesk_categories",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
