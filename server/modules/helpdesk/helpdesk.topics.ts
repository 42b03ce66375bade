import { deskStaffSchools, studentDeskSchools } from "../../../shared/policy/helpdesk.js";
import type { TopicAuthorizers } from "../../platform/realtime.js";

/**
 * `helpdesk-queue:<districtId>.<audience>`: "a queue of this audience changed" events, for those who
 * work it: the desk staff (every audience of their district), student assistants (the student
 * help desk only). Events carry no ticket content; screens refetch over HTTP what they may see.
 */
export const helpdeskTopics: TopicAuthorizers = {
  "helpdesk-queue": (actor, topic) => {
    const [districtId, audience] = topic.slice("helpdesk-queue:".length).split(".");
    if (districtId !== actor.districtId) return false;
    const staff = deskStaffSchools(actor);
    if (staff === "all" || staff.length > 0) return audience === "student" || audience === "staff" || audience === "district";
    const students = studentDeskSchools(actor);
    return audience === "student" && (students === "all" || students.length > 0);
  },
};

export const queueTopic = (districtId: string, audience: "student" | "staff" | "district") => `helpdesk-queue:${districtId}.${audience}` as const;
