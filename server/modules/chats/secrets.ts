import { secretBox } from "../../platform/secret-box.js";

// Cross-posting tokens and webhook secrets are sealed by the platform's secret box under the chats
// module's own key, bound to the series id: a database copy alone reveals nothing, and a value moved
// to another series does not open. The API never returns them, only whether one is set.

const box = secretBox({ salt: "coachwork-chats", info: "coachwork chats secret v1" });

export const seal = box.seal;
export const open = box.open;
