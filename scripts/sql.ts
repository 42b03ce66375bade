// Reviewable SQL. `npm run sql` writes the SQL of every repository function, compiled for SQLite and
// PostgreSQL, into sql/; `npm run sql:check` regenerates it in memory and fails when the checked-in
// files differ from the code or a repository function has no example. See docs/architecture.md.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareSqlFiles, existingSqlFiles, generateSqlFiles } from "./sql/generate.js";
import { registry } from "./sql/examples.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const isCheck = process.argv.includes("--check");
const started = performance.now();

let generated: Awaited<ReturnType<typeof generateSqlFiles>>;
try {
  generated = await generateSqlFiles(root, registry);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
const { files, stats } = generated;
const onDisk = new Map(existingSqlFiles(root).map((f) => [f, readFileSync(join(root, f), "utf8")]));
const ms = Math.round(performance.now() - started);

if (isCheck) {
  const problems = compareSqlFiles(files, onDisk);
  if (problems.length > 0) {
    console.error(`sql/ does not match the code (run \`npm run sql\` and review the diff):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`sql/ matches the code: ${files.size} files, ${stats.reduce((n, s) => n + s.statements, 0)} statements (${ms} ms)`);
} else {
  for (const file of onDisk.keys()) if (!files.has(file)) rmSync(join(root, file));
  for (const [file, text] of files) {
    if (onDisk.get(file) === text) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  for (const s of stats) console.log(`${s.file.padEnd(44)} ${String(s.functions).padStart(3)} functions ${String(s.statements).padStart(4)} statements`);
  console.log(`wrote sql/: ${files.size} files (${ms} ms)`);
}
