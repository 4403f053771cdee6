// The fixed lists the schemas validate against, kept apart from the schemas so that a client
// component which only needs a list (a select's options, a filter's tabs) does not bring zod and
// the whole schema module into its page. The schema modules re-export them.

export const UNITS = ["EA", "BOX", "SET", "KG", "M"] as const;
export const COUNTRIES = ["KR", "CN"] as const;

export const TOKEN_SCOPES = ["read", "read_write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const TOKEN_EXPIRY_DAYS = [30, 90, 365] as const;

export const INSPECTION_TYPES = ["pre_production", "during_production", "pre_shipment", "loading"] as const;
export const INSPECTION_STATUSES = ["submitted", "scheduled", "in_progress", "report_ready", "completed", "cancelled"] as const;
export const INSPECTION_RESULTS = ["pass", "fail", "pending"] as const;
/** Statuses that still need work (the queue); completed and cancelled are closed. */
export const OPEN_INSPECTION_STATUSES = ["submitted", "scheduled", "in_progress", "report_ready"] as const;

export type InspectionType = (typeof INSPECTION_TYPES)[number];
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const FLOW_KINDS = ["inbound", "outbound", "transfer", "adjustment"] as const;
export const FLOW_STATUSES = ["draft", "submitted", "approved", "committed", "cancelled"] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];
export type FlowStatus = (typeof FLOW_STATUSES)[number];

/** URL segment of each kind's endpoints: /api/v1/outbounds. */
export const KIND_PATHS: Record<FlowKind, string> = {
  inbound: "inbounds",
  outbound: "outbounds",
  transfer: "transfers",
  adjustment: "adjustments",
};
