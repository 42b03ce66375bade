import type { Migration } from "kysely";
import * as m20261128000000 from "./20261128000000_foundation.js";

/** Every migration, by name. Names sort in the order they run; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "20261128000000_foundation": m20261128000000,
};
