import { defineModule } from "../../platform/module.js";
import { helpdeskJobs } from "./helpdesk.jobs.js";
import { registerHelpdeskRoutes } from "./helpdesk.routes.js";
import { helpdeskTopics } from "./helpdesk.topics.js";

/** The help desk: tickets, queues worked by staff and student assistants, ratings, escalation and punch lists. */
export const helpdeskModule = defineModule({
  name: "helpdesk",
  tables: [
    "helpdesk_categories",
    "helpdesk_queues",
    "helpdesk_queue_members",
    "helpdesk_sla_targets",
    "helpdesk_departments",
    "helpdesk_contacts",
    "helpdesk_tickets",
    "helpdesk_messages",
    "helpdesk_ticket_history",
    "helpdesk_canned_replies",
    "helpdesk_attachments",
  ],
  routes: registerHelpdeskRoutes,
  jobs: helpdeskJobs,
  topics: helpdeskTopics,
});
