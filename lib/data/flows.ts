import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { FLOW_KINDS, FLOW_STATUSES, type FlowAction, type FlowKind } from "@/lib/schemas/flows";
import { actorArg, pageOf } from "./results";

const num = z.coerce.number();
const ref = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable();

export const flowLineRow = z.looseObject({
  line_no: z.number().int(),
  item_id: z.uuid(),
  qty: num,
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
  customer_id: z.uuid().nullable().optional(),
});

/** A line of an open flow that lacks stock in its warehouse right now (a hint: commit decides). */
export const shortfallRow = z.looseObject({
  line_no: z.number().int(),
  item_id: z.uuid(),
  sku: z.string(),
  location_id: z.uuid(),
  location_code: z.string(),
  requested: num,
  available: num,
  short: num,
});
export type Shortfall = z.infer<typeof shortfallRow>;

const flowBase = {
  id: z.uuid(),
  number: z.string(),
  kind: z.enum(FLOW_KINDS),
  status: z.enum(FLOW_STATUSES),
  from_location_id: z.uuid().nullable(),
  to_location_id: z.uuid().nullable(),
  customer_id: z.uuid().nullable(),
  partner: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  reversal_of: z.uuid().nullable(),
  created_by: z.uuid().nullable(),
  created_at: z.string(),
};

export const flowDetail = z.looseObject({
  ...flowBase,
  from_location: ref,
  to_location: ref,
  customer: ref,
  lines: z.array(flowLineRow),
  shortfalls: z.array(shortfallRow).default([]),
});
export type Flow = z.infer<typeof flowDetail>;

export const flowListRow = z.looseObject({ ...flowBase, line_count: num, total_qty: num, short_lines: num.default(0) });
export type FlowListRow = z.infer<typeof flowListRow>;

const fnList = defineFunction(
  "flows_list",
  z.object({
    p_kind: z.string().optional(),
    p_status: z.string().optional(),
    p_q: z.string().optional(),
    p_from: z.string().optional(),
    p_to: z.string().optional(),
    p_customer_id: z.uuid().optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(flowListRow),
);
const fnGet = defineFunction("flow_get", z.object({ p_id: z.uuid(), ...actorArg }), flowDetail);
const lineArg = z.array(z.object({ item_id: z.uuid(), qty: z.number() }));
const fnCreate = defineFunction(
  "flow_create",
  z.object({
    p_kind: z.enum(FLOW_KINDS),
    p_lines: lineArg,
    p_from_location_id: z.uuid().nullable().optional(),
    p_to_location_id: z.uuid().nullable().optional(),
    p_customer_id: z.uuid().nullable().optional(),
    p_partner: z.string().nullable().optional(),
    p_reference: z.string().nullable().optional(),
    p_note: z.string().nullable().optional(),
    ...actorArg,
  }),
  flowDetail,
);
const fnUpdate = defineFunction(
  "flow_update",
  z.object({ p_id: z.uuid(), p_patch: z.record(z.string(), z.unknown()), p_kind: z.enum(FLOW_KINDS).optional(), ...actorArg }),
  flowDetail,
);
const kindAndActor = { p_kind: z.enum(FLOW_KINDS).optional(), ...actorArg };
const fnAction = {
  submit: defineFunction("flow_submit", z.object({ p_id: z.uuid(), ...kindAndActor }), flowDetail),
  approve: defineFunction("flow_approve", z.object({ p_id: z.uuid(), ...kindAndActor }), flowDetail),
  commit: defineFunction("flow_commit", z.object({ p_id: z.uuid(), ...kindAndActor }), flowDetail),
  cancel: defineFunction("flow_cancel", z.object({ p_id: z.uuid(), p_reason: z.string().optional(), ...kindAndActor }), flowDetail),
  reverse: defineFunction("flow_reverse", z.object({ p_id: z.uuid(), p_note: z.string().optional(), ...kindAndActor }), flowDetail),
} as const;

export type FlowListQuery = {
  kind?: FlowKind;
  status?: string;
  q?: string;
  from?: string;
  to?: string;
  customer_id?: string;
  page: number;
  limit: number;
};

export function listFlows(as: Caller, q: FlowListQuery) {
  return call(
    fnList,
    {
      p_kind: q.kind,
      p_status: q.status,
      p_q: q.q,
      p_from: q.from,
      p_to: q.to,
      p_customer_id: q.customer_id,
      p_page: q.page,
      p_limit: q.limit,
    },
    as,
  );
}

/** A flow by id; with `kind`, one of another kind is "not found" (per-kind endpoints). */
export async function getFlow(as: Caller, id: string, kind?: FlowKind) {
  const flow = await call(fnGet, { p_id: id }, as);
  if (kind && flow.kind !== kind) throw new AppError("not_found", "Flow not found");
  return flow;
}

export type FlowCreate = {
  kind: FlowKind;
  from_location_id?: string | null;
  to_location_id?: string | null;
  customer_id?: string | null;
  partner?: string | null;
  reference?: string | null;
  note?: string | null;
  lines: { item_id: string; qty: number }[];
};

export function createFlow(as: Caller, input: FlowCreate, idem?: Idempotency) {
  return callWrite(
    fnCreate,
    {
      p_kind: input.kind,
      p_lines: input.lines,
      p_from_location_id: input.from_location_id,
      p_to_location_id: input.to_location_id,
      p_customer_id: input.customer_id,
      p_partner: input.partner,
      p_reference: input.reference,
      p_note: input.note,
    },
    as,
    idem,
  );
}

export function updateFlow(as: Caller, id: string, patch: Record<string, unknown>, kind?: FlowKind, idem?: Idempotency) {
  return callWrite(fnUpdate, { p_id: id, p_patch: patch, p_kind: kind }, as, idem);
}

export function flowAction(
  as: Caller,
  action: FlowAction,
  id: string,
  opts: { kind?: FlowKind; reason?: string; note?: string } = {},
  idem?: Idempotency,
) {
  switch (action) {
    case "cancel":
      return callWrite(fnAction.cancel, { p_id: id, p_kind: opts.kind, p_reason: opts.reason }, as, idem);
    case "reverse":
      return callWrite(fnAction.reverse, { p_id: id, p_kind: opts.kind, p_note: opts.note }, as, idem);
    default:
      return callWrite(fnAction[action], { p_id: id, p_kind: opts.kind }, as, idem);
  }
}

// The counted and expected quantities behind a stocktake's adjustment (20261206010200): [] for
// any other flow.
const flowCount = z.object({ item_id: z.uuid(), expected_qty: z.coerce.number(), counted_qty: z.coerce.number() });
const fnCounts = defineFunction("flow_counts", z.object({ p_flow_id: z.uuid(), ...actorArg }), z.array(flowCount));

export function getFlowCounts(as: Caller, flowId: string) {
  return call(fnCounts, { p_flow_id: flowId }, as);
}
