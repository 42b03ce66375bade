import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { HelpdeskLimits, PRIORITIES, PRIORITY_LABELS, type TTicket } from "../../../../shared/schemas/helpdesk.js";
import { FieldFrame } from "../../components/Field.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { helpdeskApi, helpdeskQueries } from "./api.js";

const ZForm = z.object({
  schoolId: z.string().min(1, "choose a school"),
  categoryKey: z.string().min(1, "choose what is wrong"),
  priority: z.enum(PRIORITIES),
  description: z.string().trim().min(1, "describe the problem").max(HelpdeskLimits.maxDescription),
  location: z.string().trim().max(HelpdeskLimits.maxLocation),
});

/**
 * The ticket form: what is wrong, where, and an optional photo. `studentNumber` files it for a
 * student at the kiosk; `schools` are the schools the ticket can be for.
 */
export function TicketForm({
  schools,
  studentNumber,
  onFiled,
  submitLabel = "Send",
}: {
  schools: { id: string; name: string }[];
  studentNumber?: string;
  onFiled: (t: TTicket) => void;
  submitLabel?: string;
}) {
  const categories = useQuery(helpdeskQueries.categories());
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const form = useZodForm(ZForm, { schoolId: schools.length === 1 ? (schools[0]?.id ?? "") : "", categoryKey: "", priority: "normal", description: "", location: "" });
  const [clientRef] = useState(() => crypto.randomUUID());
  return (
    <Form
      form={form}
      className="form hd-form"
      onSubmit={async (values) => {
        const ticket = await helpdeskApi.create({ ...values, clientRef, ...(studentNumber ? { studentNumber } : {}) });
        if (photo) {
          try {
            await helpdeskApi.attach(ticket.id, photo);
          } catch (err) {
            setPhotoError(err instanceof Error ? `The ticket was sent, but the photo was not: ${err.message}` : "The photo was not sent");
          }
        }
        onFiled(ticket);
      }}
    >
      {schools.length > 1 ? <FormSelectField name="schoolId" label="School" options={[{ value: "", label: "Choose a school" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]} /> : null}
      <FormSelectField
        name="categoryKey"
        label="What is wrong?"
        options={[{ value: "", label: categories.data ? "Choose one" : "Loading…" }, ...(categories.data?.items ?? []).map((c) => ({ value: c.key, label: c.name }))]}
      />
      <FormTextAreaField name="description" label="Describe the problem" hint="What happens, since when, and what you already tried." rows={4} />
      <div className="hd-form__row">
        <FormTextField name="location" label="Room or place" isOptional placeholder="e.g. Room 114" />
        <FormSelectField name="priority" label="How urgent?" options={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }))} />
      </div>
      <FieldFrame id="hd-photo" label="Photo" hint="JPEG, PNG, WebP, HEIC or GIF, up to 10 MB. Location data in the photo is removed." isOptional error={photoError ?? undefined}>
        <input id="hd-photo" className="input" type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
      </FieldFrame>
      <SubmitButton label={submitLabel} pendingLabel="Sending…" />
    </Form>
  );
}
