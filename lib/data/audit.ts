import "server-only";
import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { AUDIT_ACTIONS, auditRange, type AuditListQuery } from "@/lib/schemas/users";
import { actorArg, pageOf } from "./results";

// The audit log, for administrators: who changed which record when, before and after.

const jsonObject = z.record(z.string(), z.unknown());

export const auditRow = z.object({
  id: z.number().int(),
  created_at: z.string(),
  actor_id: z.uuid().nullable(),
  actor_email: z.string().nullable(),
  actor_name: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  table_name: z.string(),
  row_id: z.string().nullable(),
  security_event: z.boolean(),
  before: jsonObject.nullable(),
  after: jsonObject.nullable(),
  /** Keys whose value differs between before and after. */
  changed: z.array(z.string()),
});
export type AuditRow = z.infer<typeof auditRow>;

export const fnAuditList = defineFunction(
  "audit_list",
  z.object({
    p_actor_id: z.uuid().optional(),
    p_table: z.string().optional(),
    p_action: z.enum(AUDIT_ACTIONS).optional(),
    p_from: z.string().optional(),
    p_to: z.string().optional(),
    p_security_only: z.boolean().optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(auditRow),
);

export const fnAuditTables = defineFunction("audit_tables", z.object(actorArg), z.array(z.string()));

export function listAudit(as: Caller, q: AuditListQuery) {
  const range = auditRange(q.from, q.to);
  return call(
    fnAuditList,
    {
      p_actor_id: q.actor_id,
      p_table: q.table,
      p_action: q.action,
      p_from: range.from,
      p_to: range.to,
      p_security_only: q.security,
      p_page: q.page,
      p_limit: q.limit,
    },
    as,
  );
}

/** The tables whose changes are audited (for the table filter). */
export function listAuditTables(as: Caller) {
  return call(fnAuditTables, {}, as);
}
