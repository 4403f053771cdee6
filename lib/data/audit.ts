import "server-only";
import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { AUDIT_ACTIONS, AUDIT_EVENTS, auditRange, type AuditListQuery } from "@/lib/schemas/users";
import { actorArg, pageOf } from "./results";

// The audit log, for administrators: who did what to which record when, before and after.

const jsonObject = z.record(z.string(), z.unknown());

/** Which record a row is about, by the name people use for it (private.audit_subject). */
export const auditSubject = z.object({
  type: z.string(),
  id: z.string().optional(),
  label: z.string().optional(),
  detail: z.string().optional(),
  kind: z.string().optional(),
});

export const auditRow = z.object({
  id: z.number().int(),
  created_at: z.string(),
  actor_id: z.uuid().nullable(),
  actor_email: z.string().nullable(),
  actor_name: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  /** What happened, in words (submitted, role_changed, ...); unknown ones read as "updated". */
  event: z.string(),
  table_name: z.string(),
  row_id: z.string().nullable(),
  subject: auditSubject,
  security_event: z.boolean(),
  before: jsonObject.nullable(),
  after: jsonObject.nullable(),
  /** Names of the records the fields point at, by id. */
  refs: z.record(z.string(), z.string()),
  /** Keys whose value differs between before and after. */
  changed: z.array(z.string()),
});
export type AuditRow = z.infer<typeof auditRow>;

export const fnAuditList = defineFunction(
  "audit_list",
  z.object({
    p_actor_id: z.uuid().optional(),
    p_table: z.string().optional(),
    p_action: z.enum([...AUDIT_ACTIONS, ...AUDIT_EVENTS]).optional(),
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
