import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CsvReadError, guessWrongDelimiter, openCsv, type CsvRecord } from "./csv-reader.js";
import { LineByPrint } from "./oneroster/enrollments.js";
import { hash53 } from "./issues.js";
import { columnPosition } from "./oneroster/read-csv.js";
import { CLASS_TYPES, isDate, isDateTime, mapEnrollmentRole, mapUserRole, oneOf, parseBool, readDate, SESSION_TYPES, splitList, userRole } from "./oneroster/spec.js";

async function readAll(text: string | Buffer, opts: { maxBytes?: number; chunk?: number } = {}) {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8");
  // Small chunks make sure records and BOMs split across chunk boundaries are handled.
  const size = opts.chunk ?? 7;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  const { header, batches } = await openCsv(Readable.from(chunks), { maxBytes: opts.maxBytes ?? 1 << 20, batchSize: 2 });
  const records: CsvRecord[] = [];
  for await (const batch of batches) records.push(...batch);
  return { header, records };
}

describe("openCsv", () => {
  it("strips a UTF-8 BOM and reads CRLF line ends", async () => {
    const { header, records } = await readAll("\uFEFFsourcedId,name\r\nu1,Ann\r\nu2,Bo\r\n");
    expect(header).toEqual(["sourcedId", "name"]);
    expect(records).toEqual([
      { line: 2, cells: ["u1", "Ann"] },
      { line: 3, cells: ["u2", "Bo"] },
    ]);
  });

  it("keeps commas and newlines inside quoted fields, and counts the lines they span", async () => {
    const text = 'id,title,grades\n1,"Biology, Honors","09,10"\n2,"Two\r\nline ""title""",11\n3,plain,12\n';
    const { records } = await readAll(text);
    expect(records).toEqual([
      { line: 2, cells: ["1", "Biology, Honors", "09,10"] },
      { line: 3, cells: ["2", 'Two\r\nline "title"', "11"] },
      { line: 5, cells: ["3", "plain", "12"] },
    ]);
    expect(splitList(records[0]?.cells[2] ?? "")).toEqual(["09", "10"]);
  });

  it("skips blank lines but keeps line numbers right, and allows empty optional cells", async () => {
    const { records } = await readAll("a,b,c\n\n1,,\n\n2,x,\n");
    expect(records).toEqual([
      { line: 3, cells: ["1", "", ""] },
      { line: 5, cells: ["2", "x", ""] },
    ]);
  });

  it("tolerates a stray quote inside an unquoted field", async () => {
    const { records } = await readAll('a,b\n1,5\'10" tall\n');
    expect(records[0]?.cells).toEqual(["1", "5'10\" tall"]);
  });

  it("reports an unclosed quote with its line", async () => {
    await expect(readAll('a,b\n1,ok\n2,"never closed\n3,x\n')).rejects.toMatchObject({
      name: "CsvReadError",
      message: expect.stringMatching(/never closed/),
    });
  });

  it("decodes characters split across chunks, and a BOM read one byte at a time", async () => {
    const text = "\uFEFFid,name\r\n1,Zoë Ångström\r\n2,\"José, Jr.\"\r\n3,李小龍";
    const { header, records } = await readAll(text, { chunk: 1 });
    expect(header).toEqual(["id", "name"]);
    expect(records).toEqual([
      { line: 2, cells: ["1", "Zoë Ångström"] },
      { line: 3, cells: ["2", "José, Jr."] },
      { line: 4, cells: ["3", "李小龍"] },
    ]);
  });

  it("reads a last record with no line end, quoted or not", async () => {
    expect((await readAll('a,b\n1,"x"')).records).toEqual([{ line: 2, cells: ["1", "x"] }]);
    expect((await readAll("a,b\n1,x\r")).records).toEqual([{ line: 2, cells: ["1", "x"] }]);
  });

  it("reads text after a closing quote as the cell stands, quotes and all, as spreadsheets do", async () => {
    const { records } = await readAll('a,b,c\n1,"Smith" Jr,x\n2,"Lee, A" II\r\n3,"ok",y\n');
    expect(records).toEqual([
      { line: 2, cells: ["1", '"Smith" Jr', "x"] },
      { line: 3, cells: ["2", '"Lee, A" II'] },
      { line: 4, cells: ["3", "ok", "y"] },
    ]);
  });

  it("reads a file whose lines end with CR alone (old Mac exports)", async () => {
    const { header, records } = await readAll('id,name\r1,Ann\r2,"Bo, Jr."\r', { chunk: 3 });
    expect(header).toEqual(["id", "name"]);
    expect(records).toEqual([
      { line: 2, cells: ["1", "Ann"] },
      { line: 3, cells: ["2", "Bo, Jr."] },
    ]);
  });

  it("stops at a quote left open rather than reading the rest of a large file into one record", async () => {
    const body = "1,plain\n".repeat(200_000);
    const err = await readAll(`a,b\n2,"open\n${body}`, { chunk: 64 * 1024, maxBytes: 1 << 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvReadError);
    expect(err).toMatchObject({ line: 2, message: expect.stringMatching(/never closed/) });
  });

  it("stops past the byte limit", async () => {
    const big = "a,b\n" + "1,2\n".repeat(1000);
    const err = await readAll(big, { maxBytes: 100, chunk: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvReadError);
    expect((err as CsvReadError).message).toMatch(/larger than/);
  });

  it("reads an empty file as no header", async () => {
    const { header, records } = await readAll("");
    expect(header).toEqual([]);
    expect(records).toEqual([]);
  });

  it("streams a large file in batches without holding it", async () => {
    const rows = 20_000;
    async function* gen() {
      yield "id,name\n";
      for (let i = 0; i < rows; i++) yield `${i},"Name, ${i}"\n`;
    }
    const { batches } = await openCsv(Readable.from(gen()), { maxBytes: 1 << 30 });
    let count = 0;
    let last: CsvRecord | undefined;
    for await (const batch of batches) {
      count += batch.length;
      last = batch[batch.length - 1];
    }
    expect(count).toBe(rows);
    expect(last).toEqual({ line: rows + 1, cells: [String(rows - 1), `Name, ${rows - 1}`] });
  });
});

describe("OneRoster cell values", () => {
  it("spots a header read with the wrong delimiter", () => {
    expect(guessWrongDelimiter(["sourcedId;status;name"])).toBe("semicolons");
    expect(guessWrongDelimiter(["sourcedId\tstatus"])).toBe("tabs");
    expect(guessWrongDelimiter(["sourcedId", "status"])).toBeNull();
  });

  it("checks dates and date-times", () => {
    expect(isDate("2026-02-28")).toBe(true);
    expect(isDate("2026-02-30")).toBe(false);
    expect(isDate("02/28/2026")).toBe(false);
    expect(isDateTime("2026-08-01T12:00:00Z")).toBe(true);
    expect(isDateTime("2026-08-01T12:00:00.123+02:00")).toBe(true);
    expect(isDateTime("2026-08-01")).toBe(true);
    expect(isDateTime("yesterday")).toBe(false);
  });

  it("reads a spreadsheet's M/D/YYYY only when month and day cannot be mixed up", () => {
    expect(readDate("2026-08-15")).toEqual({ kind: "iso", date: "2026-08-15" });
    expect(readDate("8/15/2026")).toEqual({ kind: "spreadsheet", date: "2026-08-15" });
    expect(readDate("15/8/2026")).toEqual({ kind: "spreadsheet", date: "2026-08-15" });
    expect(readDate("4/4/2027")).toEqual({ kind: "spreadsheet", date: "2027-04-04" });
    expect(readDate("3/4/2027")).toEqual({ kind: "ambiguous", readings: ["2027-03-04", "2027-04-03"] });
    expect(readDate("2/30/2027")).toEqual({ kind: "invalid" });
    expect(readDate("13/13/2027")).toEqual({ kind: "invalid" });
    expect(readDate("8/15/26")).toEqual({ kind: "invalid" });
  });

  it("reads enumerations and roles in any case, as the specification spells them", () => {
    expect(oneOf(CLASS_TYPES, "Scheduled")).toBe("scheduled");
    expect(oneOf(SESSION_TYPES, "GRADINGPERIOD")).toBe("gradingPeriod");
    expect(oneOf(CLASS_TYPES, "lecture")).toBeNull();
    expect(userRole("DistrictAdministrator")).toBe("districtAdministrator");
    expect(userRole("Teacher")).toBe("teacher");
    expect(userRole("janitor")).toBeNull();
  });

  it("remembers the first line of each enrolment pair across growth", () => {
    const pairs = new LineByPrint();
    for (let i = 0; i < 5000; i++) expect(pairs.firstLine(hash53("class", String(i)), i + 2)).toBe(i + 2);
    for (let i = 0; i < 5000; i++) expect(pairs.firstLine(hash53("class", String(i)), 9999)).toBe(i + 2);
    expect(pairs.firstLine(0, 7)).toBe(7);
    expect(pairs.firstLine(0, 8)).toBe(7);
  });

  it("names a column's position as a spreadsheet shows it", () => {
    expect(columnPosition(0)).toBe("column 1 (A)");
    expect(columnPosition(25)).toBe("column 26 (Z)");
    expect(columnPosition(26)).toBe("column 27 (AA)");
  });

  it("reads booleans and lists", () => {
    expect(parseBool("TRUE")).toBe(true);
    expect(parseBool("false")).toBe(false);
    // Vendors write yes/no and 1/0 too (issue 12).
    expect(parseBool("Yes")).toBe(true);
    expect(parseBool("no")).toBe(false);
    expect(parseBool("0")).toBe(false);
    expect(parseBool("maybe")).toBeUndefined();
    expect(parseBool("y")).toBeUndefined();
    expect(splitList(" 09, 10 ,,11")).toEqual(["09", "10", "11"]);
    expect(splitList("")).toEqual([]);
  });

  it("maps OneRoster roles to ours", () => {
    expect(mapUserRole("teacher")).toBe("teacher");
    expect(mapUserRole("aide")).toBe("teacher");
    expect(mapUserRole("administrator")).toBe("school_leader");
    expect(mapUserRole("student")).toBe("student");
    expect(mapUserRole("parent")).toBeNull();
    expect(mapUserRole("guardian")).toBeNull();
    expect(mapEnrollmentRole("aide")).toBe("teacher");
    expect(mapEnrollmentRole("proctor")).toBeNull();
  });
});
