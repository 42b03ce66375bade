import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TList } from "../../shared/schemas/common.js";
import type { TPerson } from "../../shared/schemas/people.js";
import type { ApiClient } from "../helpers/client.js";
import { DIALECTS } from "../helpers/db.js";
import { setUpDistrict, unique } from "../helpers/factories.js";
import { setFiles, smallSet, uploadImport, zipFiles } from "../helpers/oneroster.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// Issue 11 item 11: a zip whose CSV files are each under the per-file cap but together far over the
// total is refused from the archive's directory, before anything is inflated.

let zipPromise: Promise<Buffer> | null = null;
/** Four CSV files of 100 MiB each (a repeated line: the zip is small); made once per file. */
function fourBigFiles(): Promise<Buffer> {
  zipPromise ??= (async () => {
    const files: Record<string, string | Buffer> = setFiles(smallSet(unique("z")));
    const filler = Buffer.alloc(100 * 1024 * 1024, Buffer.from(`${"y".repeat(99)}\n`));
    for (const name of ["users.csv", "classes.csv", "enrollments.csv", "courses.csv"]) files[name] = filler;
    return zipFiles(files);
  })();
  return zipPromise;
}

for (const dialect of DIALECTS) {
  describe(`upload limits (${dialect})`, () => {
    let server: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      ({ admin } = await setUpDistrict(server));
    });
    afterAll(async () => server.close());

    it("refuses an archive whose files add up to more than the total limit, quickly and without changes", async () => {
      const zip = await fourBigFiles();
      const peopleBefore = (await admin.get<TList<TPerson>>("/api/v1/people?status=all&limit=1")).body.total;
      const started = Date.now();
      const res = await uploadImport(admin, zip, { fileName: "bomb.zip", applyValid: "true" });
      const elapsed = Date.now() - started;
      expect(res.body.status).toBe("rejected");
      expect(res.body.issues[0]).toMatchObject({ file: "bomb.zip", message: expect.stringMatching(/add up to 4\d\d MiB uncompressed; a OneRoster set may be at most 384 MiB in all/) });
      // Refused from the directory: inflating 400 MiB would take far longer.
      expect(elapsed).toBeLessThan(5000);
      expect((await admin.get<TList<TPerson>>("/api/v1/people?status=all&limit=1")).body.total).toBe(peopleBefore);
    }, 120_000);
  });
}
