import type { Ctx } from "../context.js";
import type { DB } from "../db/schema.js";
import type { App } from "../http.js";
import type { EventHandlers } from "./events.js";
import type { JobHandler } from "./jobs.js";
import type { RealtimeGuests, TopicAuthorizers } from "./realtime.js";

/**
 * One module of Coachwork, as `app.ts` registers it. A module is one folder under
 * `server/modules/`; other modules reach it only through its `api.ts`, and only it names its
 * tables (the `coachwork/module-boundaries` lint rule reads `tables` and `alsoWrites` from each
 * module's `module.ts` and enforces both).
 */
export type ServerModule = {
  name: string;
  /** The tables this module owns: no other module's code names them. */
  tables: readonly (keyof DB)[];
  /**
   * Tables of other modules this one writes directly, each with its reason. Reserved for bulk
   * writers (the roster import) where a call per row through the owner's API would take hours.
   */
  alsoWrites?: Readonly<Partial<Record<keyof DB, string>>>;
  /**
   * Registers the module's HTTP routes. Every route requires a signed-in actor unless its options
   * say `config: { public: true }`.
   */
  routes?: (app: App, ctx: Ctx) => void;
  /** Durable job handlers by kind (`enqueueJob` with one of these kinds runs here, once, on any server). */
  jobs?: Readonly<Record<string, JobHandler>>;
  /** What the module does when other modules' events happen, delivered after their commit. */
  events?: EventHandlers;
  /** Realtime topic prefixes the module serves, each deciding who may subscribe. */
  topics?: TopicAuthorizers;
  /** People without a session the module lets follow some of its topics (a public chat's guests); one module at most. */
  realtimeGuests?: RealtimeGuests;
};

/** Declares a module; a function rather than a bare object so the type checks every field. */
export function defineModule(module: ServerModule): ServerModule {
  return module;
}
