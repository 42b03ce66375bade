// ESLint rule `coachwork/module-boundaries`: a module under server/modules/<name>/ reaches another
// module only through that module's api.ts, and names in SQL only the tables it owns (or lists in
// `alsoWrites`). Ownership is read from each module's module.ts, the same definition app.ts uses.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MODULES_DIR = path.join(ROOT, "server", "modules");

/** Kysely methods whose first argument names a table ("people" or "people as p"). */
const TABLE_METHODS = new Set([
  "selectFrom",
  "insertInto",
  "updateTable",
  "deleteFrom",
  "replaceInto",
  "mergeInto",
  "innerJoin",
  "leftJoin",
  "rightJoin",
  "fullJoin",
  "innerJoinLateral",
  "leftJoinLateral",
]);

/** Reads `tables: [...]` and the keys of `alsoWrites: {...}` from a module.ts. */
export function readOwnership(source) {
  const list = (text) => [...text.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]);
  const tables = source.match(/tables:\s*\[([^\]]*)\]/);
  const also = source.match(/alsoWrites:\s*\{([\s\S]*?)\n\s*\}/);
  return {
    tables: tables ? list(tables[1]) : [],
    alsoWrites: also ? [...also[1].matchAll(/^\s*([a-z0-9_]+)\s*:/gm)].map((m) => m[1]) : [],
  };
}

let cache = null;
/** module name → { tables, alsoWrites }, and table → owning module. */
export function loadOwnership() {
  if (cache) return cache;
  const modules = new Map();
  const ownerOf = new Map();
  for (const name of readdirSync(MODULES_DIR)) {
    const file = path.join(MODULES_DIR, name, "module.ts");
    if (!existsSync(file)) continue;
    const own = readOwnership(readFileSync(file, "utf8"));
    modules.set(name, own);
    for (const t of own.tables) ownerOf.set(t, name);
  }
  cache = { modules, ownerOf };
  return cache;
}

/** The module folder a file belongs to, or null outside server/modules/<name>/. */
function moduleOf(filename) {
  const rel = path.relative(MODULES_DIR, filename);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : null;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Modules reach each other only through api.ts and query only their own tables" },
    schema: [],
    messages: {
      import: "{{from}} may not import {{target}}: use the {{other}} module's api.ts",
      table: "{{from}} may not query the table {{table}}, which belongs to the {{owner}} module: use {{owner}}/api.ts",
    },
  },
  create(context) {
    const filename = context.filename;
    const self = moduleOf(filename);
    if (!self || /\.(test|matrix)\.ts$/.test(filename)) return {};
    const { modules, ownerOf } = loadOwnership();
    const mine = modules.get(self) ?? { tables: [], alsoWrites: [] };
    return {
      ImportDeclaration(node) {
        const spec = node.source.value;
        if (typeof spec !== "string" || !spec.startsWith(".")) return;
        const target = path.resolve(path.dirname(filename), spec);
        const other = moduleOf(target);
        if (!other || other === self) return;
        if (path.basename(target).replace(/\.(js|ts)$/, "") === "api") return;
        context.report({ node: node.source, messageId: "import", data: { from: self, target: path.relative(ROOT, target), other } });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
        if (!TABLE_METHODS.has(callee.property.name)) return;
        const arg = node.arguments[0];
        if (!arg || arg.type !== "Literal" || typeof arg.value !== "string") return;
        const table = arg.value.trim().split(/\s+as\s+/i)[0];
        const owner = ownerOf.get(table);
        // Names no module owns are common table expressions of the query itself.
        if (!owner || owner === self || mine.alsoWrites.includes(table)) return;
        context.report({ node: arg, messageId: "table", data: { from: self, table, owner } });
      },
    };
  },
};
