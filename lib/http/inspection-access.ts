import "server-only";
import type { Actor } from "@/lib/auth";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

// Inspections and messages are served to staff and customers by the same endpoints: staff with
// the records permissions, customers with their own-records permissions (the database then
// limits a customer to their company's rows). The route wrapper takes one permission, so these
// endpoints ask here instead.

export function requireInspectionAccess(actor: Actor, mode: "read" | "write"): void {
  const allowed = mode === "read" ? can(actor.role, "records:read") || can(actor.role, "own-records:read") : can(actor.role, "records:write") || can(actor.role, "own-records:write");
  if (!allowed) throw new AppError("forbidden", "You are not allowed to do this");
}
