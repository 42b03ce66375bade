import type { TRosterImportReport } from "../../../shared/schemas/rostering.js";
import { unique } from "../../../tests/helpers/factories.js";
import { adminOnly, send, worldRecords, type MatrixWorld, type ModuleMatrix, type Principal } from "../../../tests/helpers/matrix.js";

// Roster imports change the whole directory: district admins only. Every import here is a dry run.
const records = worldRecords<{ importId: string }>();

const staffCsv = (world: MatrixWorld) => `name,email,school,role\nNew Teacher,${unique("csv")}@example.org,"${world.schoolA.name}",teacher\n`;

async function dryRunImport(world: MatrixWorld, who: Principal): Promise<TRosterImportReport> {
  const res = await send(world.server.baseUrl, who, "POST", "/api/v1/rostering/imports?dryRun=true&wait=true", { raw: { body: staffCsv(world), contentType: "text/csv" } });
  if (res.status !== 200) throw new Error(`dry-run import failed: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as TRosterImportReport;
}

export const rosteringMatrix: ModuleMatrix = {
  module: "rostering",
  async seed(world) {
    records.set(world, { importId: (await dryRunImport(world, world.root)).id });
  },
  routes: [
    {
      route: "POST /api/v1/rostering/imports",
      // One import runs at a time per district: concurrent admin cells would meet a 409.
      isSerial: true,
      targets: { any: ({ world }) => ({ path: "/api/v1/rostering/imports?dryRun=true&wait=true", raw: { body: staffCsv(world), contentType: "text/csv" } }) },
      expect: adminOnly(200),
    },
    { route: "GET /api/v1/rostering/imports", targets: { any: () => ({ path: "/api/v1/rostering/imports" }) }, expect: adminOnly(200) },
    {
      route: "GET /api/v1/rostering/imports/:id",
      targets: { any: ({ world }) => ({ path: `/api/v1/rostering/imports/${records.of(world).importId}` }) },
      expect: adminOnly(200),
    },
    {
      route: "GET /api/v1/rostering/imports/:id/report.csv",
      targets: { any: ({ world }) => ({ path: `/api/v1/rostering/imports/${records.of(world).importId}/report.csv` }) },
      expect: adminOnly(200),
    },
  ],
};
