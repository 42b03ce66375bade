import { useNavigate } from "react-router-dom";
import { ApiError } from "../../api/client.js";
import { useCreateSchool } from "./api.js";
import { ErrorState, PageHeader } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { SchoolForm, schoolToValues } from "./SchoolForm.js";

export function NewSchoolPage() {
  useDocumentTitle("Add school");
  const navigate = useNavigate();
  const isAdmin = useIsDistrictAdmin();
  const createSchool = useCreateSchool();
  return (
    <>
      <PageHeader title="Add school" breadcrumb={{ to: "/directory/schools", label: "Schools" }} />
      {isAdmin ? (
        <SchoolForm
          initialValues={schoolToValues(null)}
          isNew
          submitLabel="Add school"
          onCancel={() => navigate("/directory/schools")}
          onSubmit={async ({ name, level, code }) => {
            const school = await createSchool.mutateAsync({ name, level, code });
            navigate(`/directory/schools/${encodeURIComponent(school.id)}`, {
              state: { notice: `${school.name} was added.` },
            });
          }}
        />
      ) : (
        <ErrorState
          error={new ApiError({ status: 403, code: "forbidden", message: "Only district admins can add schools." })}
        />
      )}
    </>
  );
}
