import { eventJobHandlers } from "../platform/events.js";
import { mergeJobHandlers, type JobHandler } from "../platform/jobs.js";
import type { ServerModule } from "../platform/module.js";
import { mergeTopicAuthorizers, type RealtimeGuests, type TopicAuthorizers } from "../platform/realtime.js";
import { accountsModule } from "./accounts/module.js";
import { auditModule } from "./audit/module.js";
import { chatsModule } from "./chats/module.js";
import { classesModule } from "./classes/module.js";
import { coachingModule } from "./coaching/module.js";
import { devicesModule } from "./devices/module.js";
import { healthModule } from "./health/module.js";
import { helpdeskModule } from "./helpdesk/module.js";
import { mailModule } from "./mail/module.js";
import { observationsModule } from "./observations/module.js";
import { peopleModule } from "./people/module.js";
import { rosteringModule } from "./rostering/module.js";
import { schoolsModule } from "./schools/module.js";
import { settingsModule } from "./settings/module.js";
import { ssoModule } from "./sso/module.js";

/** Every module of the server, in registration order. Adding a module is adding a line here. */
export const MODULES: readonly ServerModule[] = [
  healthModule,
  accountsModule,
  schoolsModule,
  peopleModule,
  classesModule,
  auditModule,
  mailModule,
  coachingModule,
  observationsModule,
  rosteringModule,
  ssoModule,
  settingsModule,
  helpdeskModule,
  devicesModule,
  chatsModule,
];

/** Every module's job handlers and event subscribers, as one map of job kinds (duplicates throw). */
export function moduleJobHandlers(modules: readonly ServerModule[]): Record<string, JobHandler> {
  return mergeJobHandlers([...modules.map((m) => m.jobs ?? {}), eventJobHandlers(modules.map((m) => m.events ?? {}))]);
}

/** Every module's realtime topic prefixes (duplicates throw). */
export function moduleTopics(modules: readonly ServerModule[]): TopicAuthorizers {
  return mergeTopicAuthorizers(modules.map((m) => m.topics ?? {}));
}

/** The one module's realtime guests, if any declares them (two is a programming error). */
export function moduleRealtimeGuests(modules: readonly ServerModule[]): RealtimeGuests | null {
  const declared = modules.filter((m) => m.realtimeGuests);
  if (declared.length > 1) throw new Error(`two modules declare realtime guests: ${declared.map((m) => m.name).join(", ")}`);
  return declared[0]?.realtimeGuests ?? null;
}
