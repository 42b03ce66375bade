import { Link } from "react-router-dom";
import { PageHeader } from "../components/Feedback.js";
import { useDocumentTitle } from "../lib/hooks.js";

export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <>
      <PageHeader title="Page not found" description="There is no page at this address. It may have moved." />
      <Link className="button" to="/">
        Go to the home page
      </Link>
    </>
  );
}
