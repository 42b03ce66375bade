import { queryOptions } from "@tanstack/react-query";
import type { TList } from "../../../../shared/schemas/common.js";
import type {
  TAsset,
  TAssetDetail,
  TAssetImportReport,
  TBoard,
  TBooking,
  TDeviceModel,
  TListAssetsQuery,
  TOverdueLoans,
  TPersonDevices,
  TPickupResult,
  TResource,
  TRollout,
  TStationStudent,
} from "../../../../shared/schemas/devices.js";
import { API_BASE, ApiError, http, toQueryString, type Query } from "../../api/client.js";

// The devices module's endpoints and query keys.

export type AssetsQuery = Partial<Pick<TListAssetsQuery, "q" | "status" | "modelId" | "schoolId" | "isLoaner" | "cursor">>;

export const deviceKeys = {
  all: ["devices"] as const,
  models: () => ["devices", "models"] as const,
  assets: (q: AssetsQuery) => ["devices", "assets", q] as const,
  asset: (id: string) => ["devices", "asset", id] as const,
  person: (id: string) => ["devices", "person", id] as const,
  collect: () => ["devices", "collect"] as const,
  overdueLoans: () => ["devices", "loans", "overdue"] as const,
  rollouts: () => ["devices", "rollouts"] as const,
  rollout: (id: string) => ["devices", "rollout", id] as const,
  board: (id: string) => ["devices", "board", id] as const,
  resources: () => ["devices", "resources"] as const,
  bookings: (id: string, from: string, to: string) => ["devices", "bookings", id, from, to] as const,
};

export const deviceQueries = {
  models: () => queryOptions({ queryKey: deviceKeys.models(), queryFn: () => http.get<{ items: TDeviceModel[] }>("/devices/models") }),
  assets: (q: AssetsQuery) => queryOptions({ queryKey: deviceKeys.assets(q), queryFn: () => http.get<TList<TAsset>>("/devices/assets", { query: { ...q, limit: 50 } as Query }) }),
  asset: (id: string) => queryOptions({ queryKey: deviceKeys.asset(id), queryFn: () => http.get<TAssetDetail>(`/devices/assets/${id}`) }),
  person: (id: string) => queryOptions({ queryKey: deviceKeys.person(id), queryFn: () => http.get<TPersonDevices>(`/devices/people/${id}`) }),
  collect: () => queryOptions({ queryKey: deviceKeys.collect(), queryFn: () => http.get<{ items: { asset: TAsset; personId: string; personName: string; since: string }[] }>("/devices/to-collect") }),
  overdueLoans: () => queryOptions({ queryKey: deviceKeys.overdueLoans(), queryFn: () => http.get<TOverdueLoans>("/devices/loans/overdue") }),
  rollouts: () => queryOptions({ queryKey: deviceKeys.rollouts(), queryFn: () => http.get<{ items: TRollout[] }>("/devices/rollouts") }),
  rollout: (id: string) => queryOptions({ queryKey: deviceKeys.rollout(id), queryFn: () => http.get<TRollout>(`/devices/rollouts/${id}`) }),
  board: (id: string) => queryOptions({ queryKey: deviceKeys.board(id), queryFn: () => http.get<TBoard>(`/devices/rollouts/${id}/board`) }),
  resources: () => queryOptions({ queryKey: deviceKeys.resources(), queryFn: () => http.get<{ items: TResource[] }>("/devices/resources") }),
  bookings: (id: string, from: string, to: string) =>
    queryOptions({ queryKey: deviceKeys.bookings(id, from, to), queryFn: () => http.get<{ items: TBooking[] }>(`/devices/resources/${id}/bookings`, { query: { from, to } }) }),
};

export const devicesApi = {
  createModel: (body: { name: string; maker: string; kind: string }) => http.post<TDeviceModel>("/devices/models", body),
  updateAsset: (id: string, body: Record<string, unknown>) => http.patch<TAssetDetail>(`/devices/assets/${id}`, body),
  bulkEdit: (ids: string[], changes: Record<string, unknown>) => http.post<{ updated: number }>("/devices/assets/bulk", { ids, changes }),
  assign: (id: string, body: { personId: string; kind: "assigned" | "loaner"; dueOn: string | null }) => http.post<TAssetDetail>(`/devices/assets/${id}/assign`, body),
  returnAsset: (id: string, body: { condition: string | null; note: string }) => http.post<TAssetDetail>(`/devices/assets/${id}/return`, body),
  openRepair: (id: string, body: { vendor: string; costCents: number | null; ticketId: string | null; openTicket?: boolean; note: string }) => http.post<TAssetDetail>(`/devices/assets/${id}/repairs`, body),
  closeRepair: (id: string, body: { closedOn: string }) => http.patch<TAssetDetail>(`/devices/repairs/${id}`, body),
  checkIn: (body: { tag: string; condition: string }) => http.post<{ asset: TAsset; returnedBy: string | null }>("/devices/checkin", body),
  createRollout: (body: unknown) => http.post<TRollout>("/devices/rollouts", body),
  lookup: (rolloutId: string, q: string) => http.get<{ items: TStationStudent[] }>(`/devices/rollouts/${rolloutId}/lookup`, { query: { q } }),
  pickup: (rolloutId: string, body: { studentId: string; tag: string; station: string; steps: string[] }) => http.post<TPickupResult>(`/devices/rollouts/${rolloutId}/pickups`, body),
  createResource: (body: { schoolId: string; name: string; kind: string }) => http.post<TResource>("/devices/resources", body),
  book: (resourceId: string, body: { title: string; startsAt: string; endsAt: string }) => http.post<TBooking>(`/devices/resources/${resourceId}/bookings`, body),
  cancelBooking: (id: string) => http.delete(`/devices/bookings/${id}`),
  /** The shipment CSV goes as the body itself (text/csv), which the JSON client does not send. */
  async importCsv(csv: string, query: Query): Promise<TAssetImportReport> {
    const csrf = await http.get<{ csrfToken: string | null }>("/me");
    const res = await fetch(`${API_BASE}/devices/assets/import${toQueryString(query)}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "text/csv", accept: "application/json", ...(csrf.csrfToken ? { "x-csrf-token": csrf.csrfToken } : {}) },
      body: csv,
    });
    const body = (await res.json()) as TAssetImportReport | { error: { code: string; message: string } };
    if (!res.ok || "error" in body) {
      const err = "error" in body ? body.error : { code: "internal", message: `HTTP ${res.status}` };
      throw new ApiError({ status: res.status, code: err.code as never, message: err.message });
    }
    return body;
  },
};
