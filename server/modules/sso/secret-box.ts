import { secretBox } from "../../platform/secret-box.js";

// Client secrets, sealed by the platform's secret box under the SSO module's own key (the derivation
// is what earlier versions used, so stored secrets still open).

const box = secretBox({ salt: "coachwork", info: "coachwork sso client secret v1" });

/** Encrypts `plaintext` for storage; `boundTo` (the row id) must be given again to decrypt. */
export const sealSecret = box.seal;
/** Decrypts a value from sealSecret; undefined when it was sealed under another key or row, or tampered with. */
export const openSecret = box.open;
