import "server-only";
import { createFlow, flowAction, getFlow, listFlows, updateFlow } from "@/lib/data/flows";
import { idParams } from "@/lib/schemas/common";
import {
  flowCancelSchema,
  flowCreateSchema,
  flowListQuery,
  flowPatchAnyKindSchema,
  flowPatchSchema,
  flowReverseSchema,
  FLOW_ACTIONS,
  FLOW_KINDS,
  KIND_PATHS,
  type FlowAction,
  type FlowKind,
} from "@/lib/schemas/flows";
import type { Action } from "@/lib/auth/permissions";
import { trackEvent } from "@/lib/observability/analytics";
import { flowsExport } from "@/lib/export/lists";
import { AppError } from "@/lib/errors";
import { dispatch, type RouteFn } from "./dispatch";
import { handler, ok, page } from "./handler";

// The same endpoints for each kind of flow (/api/v1/inbounds, /outbounds, /transfers,
// /adjustments); `kind` is undefined for the all-kinds /api/v1/flows endpoints. Three route.ts
// files serve them all (app/api/v1/[kind], [kind]/[id], [kind]/[id]/[action]) through the
// tables at the end of this file: one handler per kind and action, each with its own permission.

/** Maps a kind's body (location_id, or both ends for transfers) onto the flow's two locations. */
type LocationFields = { location_id?: unknown; from_location_id?: unknown; to_location_id?: unknown };

export function locationsFor(kind: FlowKind, fields: LocationFields): { from_location_id?: string; to_location_id?: string } {
  const body = fields as { location_id?: string; from_location_id?: string; to_location_id?: string };
  if (kind === "transfer") return { from_location_id: body.from_location_id, to_location_id: body.to_location_id };
  if (kind === "outbound") return body.location_id === undefined ? {} : { from_location_id: body.location_id };
  return body.location_id === undefined ? {} : { to_location_id: body.location_id };
}

export function flowCollectionRoutes(kind: FlowKind) {
  return {
    // GET /api/v1/<kind>s — list flows of this kind (?format=xlsx|csv: a file, one row per line)
    GET: handler({ permission: "records:read", query: flowListQuery.omit({ kind: true }), export: flowsExport(kind) }, async ({ actor, query }) =>
      page(await listFlows(actor.caller, { ...query, kind })),
    ),
    // POST /api/v1/<kind>s — create a draft
    POST: handler({ permission: "records:write", body: flowCreateSchema(kind) }, async ({ actor, body, idempotency }) => {
      const { lines, customer_id, partner, reference, note } = body;
      const flow = await createFlow(
        actor.caller,
        { kind, lines, customer_id, partner, reference, note, ...locationsFor(kind, body) },
        idempotency,
      );
      return ok(flow, 201);
    }),
  };
}

export function flowItemRoutes(kind?: FlowKind) {
  return {
    // GET /api/v1/<kind>s/:id — one flow with its lines
    GET: handler({ permission: "records:read", params: idParams }, async ({ actor, params }) => ok(await getFlow(actor.caller, params.id, kind))),
    // PATCH /api/v1/<kind>s/:id — edit a draft. On /api/v1/flows/:id the kind is the flow's own:
    // the body's shape is checked first, then the kind's rules once the flow is read.
    PATCH: handler(
      { permission: "records:write", params: idParams, body: kind ? flowPatchSchema(kind) : flowPatchAnyKindSchema },
      async ({ actor, params, body, idempotency }) => {
        const flowKind = kind ?? (await getFlow(actor.caller, params.id)).kind;
        const checked = kind ? { success: true as const, data: body } : flowPatchSchema(flowKind).safeParse(body);
        if (!checked.success) {
          const details = checked.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
          throw new AppError("validation_failed", "Some fields are missing or invalid", details);
        }
        const { location_id, from_location_id, to_location_id, ...rest } = checked.data as Record<string, unknown>;
        const patch = { ...rest, ...locationsFor(flowKind, { location_id, from_location_id, to_location_id }) };
        return ok(await updateFlow(actor.caller, params.id, patch, kind, idempotency));
      },
    ),
  };
}

const ACTION_PERMISSION: Record<FlowAction, Action> = {
  submit: "records:write",
  approve: "flows:approve",
  commit: "flows:commit",
  cancel: "records:write",
  reverse: "records:write",
};

export function flowActionRoute(action: FlowAction, kind?: FlowKind) {
  const body = action === "cancel" ? flowCancelSchema : action === "reverse" ? flowReverseSchema : undefined;
  // POST /api/v1/<kind>s/:id/<action> — move a flow through its workflow
  return handler(
    { permission: ACTION_PERMISSION[action], params: idParams, ...(body ? { body } : {}) },
    async ({ req, actor, params, body: input, idempotency }) => {
      const opts = (input ?? {}) as { reason?: string; note?: string };
      const flow = await flowAction(actor.caller, action, params.id, { kind, reason: opts.reason, note: opts.note }, idempotency);
      // A replayed commit is the same commit: counted once.
      if (action === "commit" && !idempotency?.replayed) {
        void trackEvent("flow_committed", { flow_id: flow.id, kind: flow.kind, lines: flow.lines.length }, req);
      }
      return ok(flow, action === "reverse" ? 201 : 200);
    },
  );
}

// ----- the tables the dynamic route.ts files dispatch to (and the OpenAPI registry documents) -----

/** The URL segments of the four kinds ("inbounds", …), and "flows" for the all-kinds endpoints. */
export const KIND_SEGMENTS = FLOW_KINDS.map((k) => KIND_PATHS[k]) as [string, ...string[]];
export const FLOW_SEGMENTS = ["flows", ...KIND_SEGMENTS] as [string, ...string[]];
const kindOf = (segment: string): FlowKind | undefined => FLOW_KINDS.find((k) => KIND_PATHS[k] === segment);

export const FLOW_ROUTES = {
  /** /api/v1/<kind>s: GET, POST (the all-kinds list is app/api/v1/flows/route.ts). */
  collection: Object.fromEntries(KIND_SEGMENTS.map((seg) => [seg, flowCollectionRoutes(kindOf(seg)!)])) as Record<string, { GET: RouteFn; POST: RouteFn }>,
  /** /api/v1/<kind>s/:id and /api/v1/flows/:id: GET, PATCH. */
  item: Object.fromEntries(FLOW_SEGMENTS.map((seg) => [seg, flowItemRoutes(kindOf(seg))])) as Record<string, { GET: RouteFn; PATCH: RouteFn }>,
  /** /api/v1/<kind>s/:id/<action> and /api/v1/flows/:id/<action>: POST. */
  action: Object.fromEntries(
    FLOW_SEGMENTS.map((seg) => [seg, Object.fromEntries(FLOW_ACTIONS.map((a) => [a, flowActionRoute(a, kindOf(seg))]))]),
  ) as Record<string, Record<FlowAction, RouteFn>>,
};

export const flowCollectionDispatch = (method: "GET" | "POST") =>
  dispatch({ kind: KIND_SEGMENTS }, ({ kind }) => FLOW_ROUTES.collection[kind]?.[method]);
export const flowItemDispatch = (method: "GET" | "PATCH") =>
  dispatch({ kind: FLOW_SEGMENTS }, ({ kind }) => FLOW_ROUTES.item[kind]?.[method]);
export const flowActionDispatch = () =>
  dispatch({ kind: FLOW_SEGMENTS, action: FLOW_ACTIONS }, ({ kind, action }) => FLOW_ROUTES.action[kind]?.[action]);
