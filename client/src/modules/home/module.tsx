import { lazyPage, type ClientModule } from "../../lib/module.js";

export const homeModule: ClientModule = {
  name: "home",
  navigation: { label: "Home", icon: "home", path: "/", section: "main", isEnd: true, isForStudents: true },
  routes: [{ index: true, element: lazyPage(() => import("./HomePage.js"), "HomePage") }],
};
