import type { CompiledQuery, Compilable, Kysely } from "kysely";
import type { DB } from "./schema.js";

// Kysely builds a query as a tree of frozen nodes and compiles the tree to SQL text on every call:
// for the directory's list, on the quick 20,000-person set, that was a fifth of the route's own
// time (docs/benchmarks.md). A hot query whose shape repeats can be built and compiled once per
// shape: `compileOnce` builds it with placeholders in place of the bound values, remembers the SQL
// and where each placeholder landed among the parameters, and afterwards only fills in the values.
// Still Kysely's SQL, still fully parameterised.

/** Stands for the value at `index` while a shape is compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

type Shape = { compiled: CompiledQuery; parameters: ({ index: number } | { value: unknown })[] };

const shapes = new Map<string, Shape>();
/** Distinct shapes kept; a key that varies with data (it must not) would otherwise grow without end. */
const MAX_SHAPES = 2000;

/**
 * Compiles `build(placeholders…)` once per `key` (and SQL dialect) and returns it with `values`
 * bound. `build` must use each value only as a bound value: anything that changes the SQL text (a
 * list's length, whether a filter is present) belongs in `key`. A value that does not end up as a
 * parameter is a mistake in `build` and throws.
 */
export function compileOnce<V extends readonly unknown[], R>(db: Kysely<DB>, key: string, values: V, build: (...values: V) => Compilable<R>): CompiledQuery<R> {
  const fullKey = `${db.getExecutor().adapter.constructor.name}\u0000${key}`;
  let shape = shapes.get(fullKey);
  if (!shape) {
    const placeholders = values.map((_, i) => new Placeholder(i)) as unknown as V;
    const compiled = build(...placeholders).compile();
    const parameters = compiled.parameters.map((p) => (p instanceof Placeholder ? { index: p.index } : { value: p }));
    const used = new Set(parameters.flatMap((p) => ("index" in p ? [p.index] : [])));
    const unused = values.findIndex((_, i) => !used.has(i));
    if (unused >= 0) throw new Error(`compileOnce(${key}): value ${unused} is not a bound parameter of the query`);
    shape = { compiled, parameters };
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(fullKey, shape);
  }
  return { ...shape.compiled, parameters: shape.parameters.map((p) => ("index" in p ? values[p.index] : p.value)) } as CompiledQuery<R>;
}
