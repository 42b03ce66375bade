import { Navigate } from "react-router-dom";
import { lazyPage, type ClientModule } from "../../lib/module.js";

/** People, schools and classes. */
export const directoryModule: ClientModule = {
  name: "directory",
  navigation: { label: "Directory", icon: "directory", path: "/directory/people", section: "district", matchPrefix: "/directory" },
  routes: [
    { path: "directory", element: <Navigate to="/directory/people" replace /> },
    { path: "directory/people", element: lazyPage(() => import("./PeopleListPage.js"), "PeopleListPage") },
    { path: "directory/people/new", element: lazyPage(() => import("./NewPersonPage.js"), "NewPersonPage") },
    { path: "directory/people/:id", element: lazyPage(() => import("./PersonPage.js"), "PersonPage") },
    { path: "directory/schools", element: lazyPage(() => import("./SchoolsListPage.js"), "SchoolsListPage") },
    { path: "directory/schools/new", element: lazyPage(() => import("./NewSchoolPage.js"), "NewSchoolPage") },
    { path: "directory/schools/:id", element: lazyPage(() => import("./SchoolPage.js"), "SchoolPage") },
    { path: "directory/classes/:id", element: lazyPage(() => import("./ClassPage.js"), "ClassPage") },
  ],
};
