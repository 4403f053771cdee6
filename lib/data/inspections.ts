import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import {
  INSPECTION_RESULTS,
  INSPECTION_STATUSES,
  INSPECTION_TYPES,
  type InspectionCreate,
  type InspectionListQuery,
  type InspectionResult,
} from "@/lib/schemas/inspections";
import { actorArg, pageOf } from "./results";

// Inspection applications for staff and customers alike: each call runs as the caller, and the
// database decides what they see (a customer: their company's applications, without staff-only
// fields; another company's id is "not found"). Staff-only fields are optional in the types.
// The schemas strip unknown keys, so nothing the types do not name reaches a client.

const timelineEntry = z.object({
  id: z.number().int(),
  action: z.enum(["submitted", "scheduled", "rescheduled", "started", "report_ready", "completed", "cancelled", "notes_updated"]),
  actor_name: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  /** Staff only. */
  actor_id: z.uuid().nullable().optional(),
  staff_only: z.boolean().optional(),
});
export type InspectionTimelineEntry = z.infer<typeof timelineEntry>;

const inspectionBase = {
  id: z.uuid(),
  number: z.string(),
  customer_id: z.uuid(),
  customer: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  applicant_id: z.uuid().nullable(),
  applicant_name: z.string().nullable(),
  product: z.string(),
  quantity: z.number().nullable(),
  factory_name: z.string(),
  factory_address: z.string().nullable(),
  factory_contact: z.string().nullable(),
  inspection_type: z.enum(INSPECTION_TYPES),
  requested_date: z.string(),
  notes: z.string().nullable(),
  status: z.enum(INSPECTION_STATUSES),
  scheduled_date: z.string().nullable(),
  inspector_id: z.uuid().nullable(),
  inspector_name: z.string().nullable(),
  result: z.enum(INSPECTION_RESULTS),
  submitted_at: z.string(),
  scheduled_at: z.string().nullable(),
  started_at: z.string().nullable(),
  report_ready_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  cancelled_by_name: z.string().nullable(),
  cancel_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Messages in the thread, and those the caller's side has not read. */
  messages: z.object({ count: z.number().int(), unread: z.number().int() }),
  /** Staff only. */
  internal_notes: z.string().nullable().optional(),
  applicant_email: z.string().nullable().optional(),
  inspector_email: z.string().nullable().optional(),
};

export const inspectionListRow = z.object(inspectionBase);
export type InspectionListRow = z.infer<typeof inspectionListRow>;

export const inspectionDetail = z.object({ ...inspectionBase, timeline: z.array(timelineEntry) });
export type Inspection = z.infer<typeof inspectionDetail>;

export const fnInspectionsList = defineFunction(
  "inspections_list",
  z.object({
    p_status: z.enum(INSPECTION_STATUSES).optional(),
    p_open: z.boolean().optional(),
    p_customer_id: z.uuid().optional(),
    p_inspector_id: z.uuid().optional(),
    p_q: z.string().optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(inspectionListRow),
);
export const fnInspectionGet = defineFunction("inspection_get", z.object({ p_id: z.uuid(), ...actorArg }), inspectionDetail);
export const fnInspectionCreate = defineFunction(
  "inspection_create",
  z.object({ p_data: z.record(z.string(), z.unknown()), ...actorArg }),
  inspectionDetail,
);
export const fnInspectionSchedule = defineFunction(
  "inspection_schedule",
  z.object({ p_id: z.uuid(), p_scheduled_date: z.string(), p_inspector_id: z.uuid(), ...actorArg }),
  inspectionDetail,
);
export const fnInspectionStart = defineFunction("inspection_start", z.object({ p_id: z.uuid(), ...actorArg }), inspectionDetail);
export const fnInspectionReport = defineFunction(
  "inspection_report",
  z.object({ p_id: z.uuid(), p_result: z.enum(INSPECTION_RESULTS).optional(), ...actorArg }),
  inspectionDetail,
);
export const fnInspectionComplete = defineFunction(
  "inspection_complete",
  z.object({ p_id: z.uuid(), p_result: z.enum(INSPECTION_RESULTS), ...actorArg }),
  inspectionDetail,
);
export const fnInspectionCancel = defineFunction(
  "inspection_cancel",
  z.object({ p_id: z.uuid(), p_reason: z.string().optional(), ...actorArg }),
  inspectionDetail,
);
export const fnInspectionSetInternalNotes = defineFunction(
  "inspection_set_internal_notes",
  z.object({ p_id: z.uuid(), p_internal_notes: z.string().nullable(), ...actorArg }),
  inspectionDetail,
);

export function listInspections(as: Caller, q: InspectionListQuery) {
  return call(
    fnInspectionsList,
    {
      p_status: q.status,
      p_open: q.open,
      p_customer_id: q.customer_id,
      p_inspector_id: q.inspector_id,
      p_q: q.q,
      p_page: q.page,
      p_limit: q.limit,
    },
    as,
  );
}

export function getInspection(as: Caller, id: string) {
  return call(fnInspectionGet, { p_id: id }, as);
}

/** A customer applies for their own company; staff name the customer. */
export function createInspection(as: Caller, input: InspectionCreate, idem?: Idempotency) {
  return callWrite(fnInspectionCreate, { p_data: input }, as, idem);
}

export function scheduleInspection(as: Caller, id: string, input: { scheduled_date: string; inspector_id: string }, idem?: Idempotency) {
  return callWrite(fnInspectionSchedule, { p_id: id, p_scheduled_date: input.scheduled_date, p_inspector_id: input.inspector_id }, as, idem);
}

export function startInspection(as: Caller, id: string, idem?: Idempotency) {
  return callWrite(fnInspectionStart, { p_id: id }, as, idem);
}

/** The report is in: status report_ready, with the result when it is known. */
export function markInspectionReportReady(as: Caller, id: string, result?: InspectionResult, idem?: Idempotency) {
  return callWrite(fnInspectionReport, { p_id: id, p_result: result }, as, idem);
}

export function completeInspection(as: Caller, id: string, result: InspectionResult, idem?: Idempotency) {
  return callWrite(fnInspectionComplete, { p_id: id, p_result: result }, as, idem);
}

/** Customers while submitted; staff until completed. */
export function cancelInspection(as: Caller, id: string, reason?: string, idem?: Idempotency) {
  return callWrite(fnInspectionCancel, { p_id: id, p_reason: reason }, as, idem);
}

export function setInspectionInternalNotes(as: Caller, id: string, notes: string | null, idem?: Idempotency) {
  return callWrite(fnInspectionSetInternalNotes, { p_id: id, p_internal_notes: notes }, as, idem);
}
