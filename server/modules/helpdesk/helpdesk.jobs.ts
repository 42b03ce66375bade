import { z } from "zod";
import type { JobHandler } from "../../platform/jobs.js";
import { queueTopic } from "./helpdesk.topics.js";

const ZAnnounce = z.object({ districtId: z.string(), audience: z.enum(["student", "staff", "district"]), queueId: z.string() });

/** The help desk's durable jobs. */
export const helpdeskJobs: Record<string, JobHandler> = {
  // A queue changed (a ticket filed, taken, answered, resolved): desk screens refetch.
  "helpdesk.announce": async (job, { realtime }) => {
    const { districtId, audience, queueId } = ZAnnounce.parse(job.payload);
    await realtime?.publish(queueTopic(districtId, audience), { type: "queue.changed", queueId });
  },
};
