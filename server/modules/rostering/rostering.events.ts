import type { EventHandlers } from "../../platform/events.js";

/** What rostering does when events happen. */
export const rosteringEvents: EventHandlers = {
  "roster.imported": {
    // The admin who started an import hears it finished, on whichever server their page is connected to.
    "rostering.notifyImporter": async (imported, { realtime, event }) => {
      if (!imported.actorId || !realtime) return;
      const { created, updated, deactivated } = imported.counts;
      await realtime.publish(`person:${imported.actorId}`, {
        type: "notification",
        notification: {
          id: event.id,
          title: "Roster import applied",
          body: `${created} created, ${updated} updated, ${deactivated} deactivated.`,
          link: `/settings/rostering/${imported.importId}`,
          createdAt: event.publishedAt,
        },
      });
    },
  },
};
