import type { Ctx } from "../context.js";
import { newId, nowIso, randomToken } from "../lib.js";
import * as devices from "../modules/devices/devices.repository.js";
import { deviceEvent } from "../modules/devices/inventory.service.js";
import { activeStudentsAt, activeTeachersBySchool } from "../modules/people/api.js";
import { schoolsOfDistrict } from "../modules/schools/api.js";

// The demo district's devices (issue 15): two models, a laptop for every high school student plus
// spares and a few loaners, a fall rollout at the first high school with 60% picked up across three
// stations (so the board has something to show), and a laptop cart with bookings this week. Loaded
// once: a district that already has device models is left alone, so re-running the demo changes nothing.

export async function loadDemoDevices(ctx: Ctx, districtId: string): Promise<{ assets: number; pickups: number } | null> {
  const existing = await devices.listModels(ctx.db, districtId);
  if (existing.length > 0) return null;
  const highs = (await schoolsOfDistrict(ctx.db, districtId)).filter((s) => s.level === "high");
  if (highs.length === 0) return null;
  return ctx.db.transaction().execute(async (trx) => {
    const laptop = await devices.insertModel(trx, { districtId, name: "Chromebook 14 G7", maker: "Acme", kind: "laptop" });
    await devices.insertModel(trx, { districtId, name: "USB-C charger 45W", maker: "Acme", kind: "charger" });
    const now = nowIso();
    let n = 0;
    let pickups = 0;
    for (const [index, school] of highs.entries()) {
      const students = [...new Map((await activeStudentsAt(trx, districtId, [school.id])).map((s) => [s.id, s])).values()];
      const rows = [];
      for (let i = 0; i < Math.ceil(students.length * 1.05) + 10; i++) {
        n++;
        rows.push({
          id: newId(), district_id: districtId, tag: `MV-${String(n).padStart(5, "0")}`, serial: `5CD${String(300000 + n)}`, model_id: laptop, status: "in_stock",
          is_loaner: i < 10 ? 1 : 0, school_id: school.id, room: i < 10 ? "Library office" : "", purchase_date: "2026-06-15", warranty_end: "2029-06-14",
          funding_source: "ESSER", notes: "", condition: null, created_at: now, updated_at: now,
        });
      }
      await devices.insertAssets(trx, rows, rows.map((r) => deviceEvent({ districtId, assetId: r.id, kind: "imported", actorId: null, at: now })));
      if (index !== 0) continue;
      const stations = ["Gym table 1", "Gym table 2", "Library"];
      const rolloutId = await devices.insertRollout(trx, {
        districtId, name: "Freshman and sophomore laptops", schoolIds: [school.id], grades: ["9", "10"], modelIds: [laptop],
        steps: [{ key: "account", label: "Account created" }, { key: "video", label: "Intro video watched" }, { key: "basics", label: "Basics explained" }, { key: "agreement", label: "Agreement signed" }],
        stations, startsOn: "2026-08-03", endsOn: "2026-09-30", by: null,
      });
      const eligible = students.filter((s) => s.grade_level === "9" || s.grade_level === "10" || s.grade_level === "09");
      const pool = rows.filter((r) => r.is_loaner === 0);
      for (const [i, s] of eligible.slice(0, Math.floor(eligible.length * 0.6)).entries()) {
        const asset = pool[i];
        if (!asset) break;
        await devices.insertPickup(trx, { rolloutId, personId: s.id, assetId: asset.id, schoolId: school.id, grade: s.grade_level, station: stations[i % 3] ?? "Library", steps: ["account", "video", "basics", "agreement"], by: null, at: now });
        await devices.insertAssignment(trx, { districtId, assetId: asset.id, personId: s.id, kind: "assigned", schoolId: school.id, rolloutId, dueOn: null, by: null, at: now });
        await devices.updateAssets(trx, districtId, [asset.id], { status: "assigned" });
        await devices.insertEvents(trx, [deviceEvent({ districtId, assetId: asset.id, kind: "assigned", actorId: null, personId: s.id, details: { rolloutId }, at: now })]);
        pickups++;
      }
      const cart = await devices.insertResource(trx, { districtId, schoolId: school.id, name: "Laptop cart A (30)", kind: "cart", feedToken: randomToken(24) });
      await devices.insertResource(trx, { districtId, schoolId: school.id, name: "Makerspace", kind: "makerspace", feedToken: randomToken(24) });
      const day = new Date();
      day.setUTCHours(14, 0, 0, 0);
      const teachers = await activeTeachersBySchool(trx, districtId, [school.id]);
      for (const [k, title] of ["Period 2 research", "Digital portfolios", "Period 5 coding", "Science lab report"].entries()) {
        const teacher = teachers[k % Math.max(teachers.length, 1)];
        if (!teacher) break;
        const start = new Date(day.getTime() + k * 86_400_000);
        await devices.insertBooking(trx, { resourceId: cart, title, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 50 * 60_000).toISOString(), by: teacher.person_id });
      }
    }
    return { assets: n, pickups };
  });
}
