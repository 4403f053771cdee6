import "@/lib/zod-setup";
import { z } from "zod";
import { boolQuery, dateQuery, idSchema, pageQuery, searchQuery } from "./common";
import { localeSchema, roleSchema } from "./profile";

// User administration and the audit log: request bodies and query strings, shared by the API,
// the admin forms and the tests.

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** Initial passwords: bcrypt reads at most 72 bytes, so longer ones would be silently cut. */
export const passwordSchema = z
  .string()
  .min(8, "At least 8 characters")
  .refine((v) => utf8Length(v) <= 72, "At most 72 bytes");

export const userCreateSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1, "Email is required").max(254).pipe(z.email("Enter a valid email address")),
    display_name: z.string().trim().min(1, "Name is required").max(100),
    role: roleSchema,
    customer_id: idSchema.nullable().optional(),
    locale: localeSchema.optional(),
    password: passwordSchema.optional(),
    /** Supabase mode only: email an invitation instead of setting a password. */
    invite: z.boolean().optional(),
    /**
     * With an initial password: the user must change it before anything else (default). False
     * lets them keep it. An invited user chooses their own, so it does not apply to them.
     */
    must_change_password: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === "customer" && !v.customer_id) {
      ctx.addIssue({ code: "custom", path: ["customer_id"], message: "A customer user needs a customer company" });
    }
    if (v.role !== "customer" && v.customer_id) {
      ctx.addIssue({ code: "custom", path: ["customer_id"], message: "Only customer users belong to a customer company" });
    }
    if (!v.invite && v.password === undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "Set an initial password" });
    }
    if (v.invite && v.password !== undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "An invited user sets their own password" });
    }
  });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userPatchSchema = z
  .object({
    role: roleSchema.optional(),
    customer_id: idSchema.nullable().optional(),
    active: z.boolean().optional(),
    display_name: z.string().trim().min(1, "Name is required").max(100).optional(),
  })
  .refine((v) => v.role !== undefined || v.customer_id != null || v.active !== undefined || v.display_name !== undefined, "Nothing to update")
  .refine((v) => !(v.role !== undefined && v.role !== "customer" && v.customer_id), {
    path: ["customer_id"],
    message: "Only customer users belong to a customer company",
  });
export type UserPatch = z.infer<typeof userPatchSchema>;

export const userListQuery = z.object({
  ...pageQuery,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  q: searchQuery.optional(),
  role: roleSchema.optional(),
  active: boolQuery.optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const AUDIT_ACTIONS = ["insert", "update", "delete"] as const;

/**
 * What a person did, as the audit log names it (private.audit_event): the list's filter and the
 * words people read. insert/update/delete stay accepted for the API's callers.
 */
export const AUDIT_EVENTS = [
  "created",
  "updated",
  "deleted",
  "submitted",
  "approved",
  "committed",
  "cancelled",
  "reopened",
  "line_added",
  "line_changed",
  "line_removed",
  "applied",
  "scheduled",
  "started",
  "report_ready",
  "completed",
  "file_uploaded",
  "file_deleted",
  "message_sent",
  "message_deleted",
  "role_changed",
  "deactivated",
  "reactivated",
  "import_started",
  "import_checked",
  "imported",
  "sign_in_failed",
  "password_changed",
  "password_set_by_admin",
  "password_reset_sent",
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/**
 * ?actor_id=&table=&action=&from=&to=&security=true. Dates are days in Korea's time zone (the
 * app's display zone), `to` included; full timestamps are taken as given, `to` excluded.
 */
export const auditListQuery = z
  .object({
    ...pageQuery,
    limit: z.coerce.number().int().min(1).max(100).default(20),
    actor_id: idSchema.optional(),
    table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "Not a table name").optional(),
    action: z.enum([...AUDIT_ACTIONS, ...AUDIT_EVENTS]).optional(),
    from: dateQuery.optional(),
    to: dateQuery.optional(),
    security: boolQuery.optional(),
  })
  .refine(
    (v) => {
      const r = auditRange(v.from, v.to);
      return !r.from || !r.to || r.from < r.to;
    },
    { path: ["to"], message: "The end date is before the start date" },
  );
export type AuditListQuery = z.infer<typeof auditListQuery>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The time range [from, to) that the query's dates mean, as ISO timestamps. */
export function auditRange(from?: string, to?: string): { from?: string; to?: string } {
  const start = (day: string) => new Date(`${day}T00:00:00+09:00`);
  const iso = (d: Date) => (Number.isNaN(d.getTime()) ? undefined : d.toISOString());
  return {
    from: from ? iso(DAY.test(from) ? start(from) : new Date(from)) : undefined,
    to: to ? iso(DAY.test(to) ? new Date(start(to).getTime() + 86_400_000) : new Date(to)) : undefined,
  };
}
