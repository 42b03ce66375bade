import type { Migration } from "kysely";
import * as m20261128000000 from "./20261128000000_foundation.js";
import * as m20261128010000 from "./20261128010000_coaching.js";
import * as m20261128020000 from "./20261128020000_rostering.js";
import * as m20261128030000 from "./20261128030000_sso.js";
import * as m20261128040000 from "./20261128040000_roster_import_lock.js";
import * as m20261202100000 from "./20261202100000_jobs.js";
import * as m20261203060000 from "./20261203060000_security_settings.js";
import * as m20261203080000 from "./20261203080000_roster_import_heartbeat.js";
import * as m20261203100000 from "./20261203100000_observations.js";
import * as m20261203101000 from "./20261203101000_observation_reports.js";
import * as m20261203110000 from "./20261203110000_district_terms.js";
import * as m20261203120000 from "./20261203120000_coaching_category_aliases.js";
import * as m20261204100000 from "./20261204100000_helpdesk.js";
import * as m20261204110000 from "./20261204110000_devices.js";
import * as m20261204120000 from "./20261204120000_chats.js";
import * as m20261205100000 from "./20261205100000_helpdesk_open_index.js";
import * as m20261205130000 from "./20261205130000_enrollment_roster_print.js";
import * as m20261206100000 from "./20261206100000_chat_guest_verification.js";
import * as m20261206101000 from "./20261206101000_allow_private_chat_webhooks.js";
import * as m20261206110000 from "./20261206110000_helpdesk_queue_status.js";
import * as m20261207100000 from "./20261207100000_people_sort_covering.js";
import * as m20261208100000 from "./20261208100000_helpdesk_escalation_note.js";

/** Every migration, by name. Names sort in the order they run; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "20261128000000_foundation": m20261128000000,
  "20261128010000_coaching": m20261128010000,
  "20261128020000_rostering": m20261128020000,
  "20261128030000_sso": m20261128030000,
  "20261128040000_roster_import_lock": m20261128040000,
  "20261202100000_jobs": m20261202100000,
  "20261203060000_security_settings": m20261203060000,
  "20261203080000_roster_import_heartbeat": m20261203080000,
  "20261203100000_observations": m20261203100000,
  "20261203101000_observation_reports": m20261203101000,
  "20261203110000_district_terms": m20261203110000,
  "20261203120000_coaching_category_aliases": m20261203120000,
  "20261204100000_helpdesk": m20261204100000,
  "20261204110000_devices": m20261204110000,
  "20261204120000_chats": m20261204120000,
  "20261205100000_helpdesk_open_index": m20261205100000,
  "20261205130000_enrollment_roster_print": m20261205130000,
  "20261206100000_chat_guest_verification": m20261206100000,
  "20261206101000_allow_private_chat_webhooks": m20261206101000,
  "20261206110000_helpdesk_queue_status": m20261206110000,
  "20261207100000_people_sort_covering": m20261207100000,
  "20261208100000_helpdesk_escalation_note": m20261208100000,
};
