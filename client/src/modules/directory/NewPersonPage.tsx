import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useCreatePerson } from "./api.js";
import { PageHeader } from "../../components/Feedback.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useIsDistrictAdmin } from "../../lib/session.js";
import { emptyPersonValues, PersonForm, toCreateRequest } from "./PersonForm.js";
import { ErrorState } from "../../components/Feedback.js";
import { ApiError } from "../../api/client.js";

export function NewPersonPage() {
  useDocumentTitle("Add person");
  const navigate = useNavigate();
  const isAdmin = useIsDistrictAdmin();
  const createPerson = useCreatePerson();
  const [initialValues] = useState(emptyPersonValues);

  return (
    <>
      <PageHeader
        title="Add person"
        description="Add a staff member or student by hand. Rosters from your SIS can be imported later."
        breadcrumb={{ to: "/directory/people", label: "People" }}
      />
      {isAdmin ? (
        <PersonForm
          initialValues={initialValues}
          isNew
          submitLabel="Add person"
          onCancel={() => navigate("/directory/people")}
          onSubmit={async (values) => {
            const person = await createPerson.mutateAsync(toCreateRequest(values));
            navigate(`/directory/people/${encodeURIComponent(person.id)}`, {
              state: { notice: `${person.displayName} was added.` },
            });
          }}
        />
      ) : (
        <ErrorState
          error={new ApiError({ status: 403, code: "forbidden", message: "Only district admins can add people." })}
        />
      )}
    </>
  );
}
