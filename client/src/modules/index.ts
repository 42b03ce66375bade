/**
 * Every built client module, in the order of the navigation within each section. Adding a
 * module: a folder under modules/ with its `module.tsx`, and one line here.
 */
import type { ClientModule } from "../lib/module.js";
import { authModule } from "./auth/module.js";
import { chatsModule } from "./chats/module.js";
import { coachingModule } from "./coaching/module.js";
import { devicesModule } from "./devices/module.js";
import { directoryModule } from "./directory/module.js";
import { helpdeskModule } from "./helpdesk/module.js";
import { homeModule } from "./home/module.js";
import { observationsModule } from "./observations/module.js";
import { observationReportsModule } from "./observations/reports/module.js";
import { profileModule } from "./profile/module.js";
import { rosteringModule } from "./rostering/module.js";
import { settingsModule } from "./settings/module.js";

export const CLIENT_MODULES: ClientModule[] = [
  authModule,
  homeModule,
  coachingModule,
  observationsModule,
  observationReportsModule,
  helpdeskModule,
  devicesModule,
  chatsModule,
  directoryModule,
  rosteringModule,
  settingsModule,
  profileModule,
];
