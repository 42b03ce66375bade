import { defineModule } from "../../platform/module.js";
import { peopleTopics } from "./people.topics.js";
import { registerPeopleRoutes } from "./people.routes.js";

/** The directory's people and their role grants (role, school). */
export const peopleModule = defineModule({
  name: "people",
  tables: ["people", "role_assignments"],
  routes: registerPeopleRoutes,
  topics: peopleTopics,
});
