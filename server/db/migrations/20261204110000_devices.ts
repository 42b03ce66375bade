import { sql, type Kysely } from "kysely";
import { timestamp } from "../migration-helpers.js";

// Frozen in time: never import application code here.
//
// Issue 15: 1:1 devices. Models are data; assets carry their tag and serial (unique per district, the
// tag stored normalised: upper case, no spaces, so a scan and a hand-typed tag meet); one active
// assignment per device is held by a unique partial index (both dialects support `where` on an index),
// so two stations scanning the same tag at once cannot both win. Every change to an asset is a row of
// device_events: the device's timeline, and the student's devices through person_id.
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestamp(db);

  await db.schema
    .createTable("device_models")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("maker", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('laptop','tablet','hotspot','charger','other')`))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_models_name_uq").on("device_models").columns(["district_id", "name"]).unique().execute();

  await db.schema
    .createTable("device_assets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addColumn("serial", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull().references("device_models.id"))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('in_stock','assigned','loaner','in_repair','lost','stolen','retired')`),
    )
    // A device of the loaner pool: lent while a student's own is in repair, never handed out for keeps.
    .addColumn("is_loaner", "integer", (c) => c.notNull().defaultTo(0).check(sql`is_loaner in (0, 1)`))
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("room", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("purchase_date", "text")
    .addColumn("warranty_end", "text")
    .addColumn("funding_source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    // The condition grade of the last check-in (A good … D broken), null before any.
    .addColumn("condition", "text")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_assets_tag_uq").on("device_assets").columns(["district_id", "tag"]).unique().execute();
  await db.schema.createIndex("device_assets_serial_uq").on("device_assets").columns(["district_id", "serial"]).unique().execute();
  await db.schema.createIndex("device_assets_school_status").on("device_assets").columns(["district_id", "school_id", "status"]).execute();
  await db.schema.createIndex("device_assets_model").on("device_assets").columns(["model_id", "status"]).execute();

  await db.schema
    .createTable("device_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("asset_id", "text", (c) => c.notNull().references("device_assets.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('assigned','loaner')`))
    .addColumn("school_id", "text", (c) => c.references("schools.id"))
    .addColumn("rollout_id", "text")
    .addColumn("due_on", "text")
    .addColumn("assigned_by", "text", (c) => c.references("people.id"))
    .addColumn("assigned_at", ts, (c) => c.notNull())
    .addColumn("returned_at", ts)
    .addColumn("returned_by", "text", (c) => c.references("people.id"))
    .addColumn("return_condition", "text")
    .execute();
  // One active assignment per device, enforced by the database.
  await db.schema
    .createIndex("device_assignments_active_uq")
    .on("device_assignments")
    .column("asset_id")
    .unique()
    .where(sql.ref("returned_at"), "is", null)
    .execute();
  await db.schema.createIndex("device_assignments_person").on("device_assignments").columns(["person_id", "assigned_at"]).execute();
  await db.schema.createIndex("device_assignments_district_open").on("device_assignments").columns(["district_id", "returned_at"]).execute();

  await db.schema
    .createTable("device_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("asset_id", "text", (c) => c.notNull().references("device_assets.id"))
    .addColumn("person_id", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    // JSON text: what changed ({field: [before, after]}) or the event's facts.
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("actor_id", "text")
    .addColumn("at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_events_asset").on("device_events").columns(["asset_id", "at"]).execute();
  await db.schema.createIndex("device_events_person").on("device_events").columns(["person_id", "at"]).execute();

  await db.schema
    .createTable("device_repairs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("asset_id", "text", (c) => c.notNull().references("device_assets.id"))
    .addColumn("vendor", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("cost_cents", "integer")
    // The help desk's ticket (its id), when one exists: no foreign key (the modules stand alone).
    .addColumn("ticket_id", "text")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("opened_on", "text", (c) => c.notNull())
    .addColumn("closed_on", "text")
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_repairs_asset").on("device_repairs").columns(["asset_id", "opened_on"]).execute();

  await db.schema
    .createTable("device_rollouts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    // JSON text arrays: school ids, grade codes, model ids (the pool), checklist steps [{key,label}], stations [{id,name}].
    .addColumn("school_ids", "text", (c) => c.notNull())
    .addColumn("grades", "text", (c) => c.notNull())
    .addColumn("model_ids", "text", (c) => c.notNull())
    .addColumn("steps", "text", (c) => c.notNull())
    .addColumn("stations", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("device_pickups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rollout_id", "text", (c) => c.notNull().references("device_rollouts.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("asset_id", "text", (c) => c.notNull().references("device_assets.id"))
    .addColumn("school_id", "text")
    .addColumn("grade", "text")
    .addColumn("station", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("steps", "text", (c) => c.notNull())
    .addColumn("by_id", "text", (c) => c.references("people.id"))
    .addColumn("at", ts, (c) => c.notNull())
    .execute();
  // A student picks up once per rollout; a repeated scan meets this index.
  await db.schema.createIndex("device_pickups_person_uq").on("device_pickups").columns(["rollout_id", "person_id"]).unique().execute();

  await db.schema
    .createTable("device_resources")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("district_id", "text", (c) => c.notNull().references("districts.id"))
    .addColumn("school_id", "text", (c) => c.notNull().references("schools.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('cart','lab','makerspace','other')`))
    // The secret in the resource's iCal feed address; a calendar app cannot sign in.
    .addColumn("feed_token", "text", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("device_bookings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("resource_id", "text", (c) => c.notNull().references("device_resources.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("starts_at", ts, (c) => c.notNull())
    .addColumn("ends_at", ts, (c) => c.notNull())
    .addColumn("booked_by", "text", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_bookings_resource").on("device_bookings").columns(["resource_id", "starts_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["device_bookings", "device_resources", "device_pickups", "device_rollouts", "device_repairs", "device_events", "device_assignments", "device_assets", "device_models"]) {
    await db.schema.dropTable(t).execute();
  }
}
