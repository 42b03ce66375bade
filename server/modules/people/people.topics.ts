import type { TopicAuthorizers } from "../../platform/realtime.js";

/** Realtime topics of the directory: `person:<id>` carries one person's notifications, to them alone. */
export const peopleTopics: TopicAuthorizers = {
  person: (actor, topic) => topic === `person:${actor.personId}`,
};
