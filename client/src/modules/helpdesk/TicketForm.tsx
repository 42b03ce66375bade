import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { canManageInventoryAt } from "../../../../shared/policy/devices.js";
import type { TPersonDevices } from "../../../../shared/schemas/devices.js";
import { HelpdeskLimits, PRIORITIES, PRIORITY_LABELS, type TTicket } from "../../../../shared/schemas/helpdesk.js";
import { http } from "../../api/client.js";
import { FieldFrame } from "../../components/Field.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useMe } from "../../lib/session.js";
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
  // "My device": the filer's own devices (devices module), one click to say the ticket is about one.
  const me = useMe();
  const myDevices = useQuery({
    queryKey: ["devices", "person", me.person.id],
    queryFn: () => http.get<TPersonDevices>(`/devices/people/${me.person.id}`),
    enabled: !studentNumber,
    retry: false,
  });
  const devices = studentNumber ? [] : (myDevices.data?.current ?? []);
  const [assetId, setAssetId] = useState<string | null>(null);
  const [repairNow, setRepairNow] = useState(false);
  const picked = devices.find((d) => d.id === assetId);
  const canRepairNow = !!picked && form.watch("categoryKey") === "broken" && canManageInventoryAt({ roles: me.person.roles }, picked.schoolId) && picked.status !== "in_repair";
  return (
    <Form
      form={form}
      className="form hd-form"
      onSubmit={async (values) => {
        const ticket = await helpdeskApi.create({ ...values, clientRef, ...(studentNumber ? { studentNumber } : {}), ...(picked ? { assetId: picked.id, ...(canRepairNow && repairNow ? { sendToRepair: true } : {}) } : {}) });
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
      {devices.length > 0 ? (
        <fieldset className="hd-device-pick">
          <legend className="field__label">Is it about your device?</legend>
          <button type="button" className={`button button--small${assetId === null ? " button--primary" : ""}`} aria-pressed={assetId === null} onClick={() => setAssetId(null)}>
            Not a device
          </button>
          {devices.map((d) => (
            <button key={d.id} type="button" className={`button button--small${assetId === d.id ? " button--primary" : ""}`} aria-pressed={assetId === d.id} onClick={() => setAssetId(d.id)}>
              My device: {d.tag} · {d.modelName}
            </button>
          ))}
        </fieldset>
      ) : null}
      {canRepairNow ? (
        <label className="hd-check">
          <input type="checkbox" checked={repairNow} onChange={(e) => setRepairNow(e.target.checked)} /> Send {picked.tag} to repair now
        </label>
      ) : null}
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
