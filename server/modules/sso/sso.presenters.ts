import { tenantIdOf, type TSsoProvider, type TSsoPublicProvider } from "../../../shared/schemas/sso.js";
import type { SsoProvider } from "./sso.repository.js";

/** What district admins see of a provider: everything but the secret, which is only `hasSecret`. */
export function presentProvider(p: SsoProvider): TSsoProvider {
  return {
    id: p.id,
    kind: p.kind,
    displayName: p.displayName,
    issuer: p.issuer,
    tenantId: p.kind === "microsoft" ? tenantIdOf(p.issuer) : null,
    clientId: p.clientId,
    hasSecret: p.clientSecretEnc !== null,
    allowedDomains: p.allowedDomains,
    allowSelfProvisioning: p.allowSelfProvisioning,
    defaultRole: p.defaultRole,
    isEnabled: p.isEnabled,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** What anyone may see: enough to draw a "Sign in with …" button. */
export function presentPublicProvider(p: SsoProvider): TSsoPublicProvider {
  return { id: p.id, displayName: p.displayName, kind: p.kind };
}
