import { useDocumentTitle } from "../../lib/hooks.js";
import { ApiTokensSection } from "../profile/ApiTokensSection.js";

export function ApiTokensPage() {
  useDocumentTitle("API tokens");
  return <ApiTokensSection />;
}
