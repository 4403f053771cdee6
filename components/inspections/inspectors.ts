import "server-only";
import type { Actor } from "@/lib/auth";
import { can, isStaff } from "@/lib/auth/permissions";
import type { Inspection } from "@/lib/data/inspections";
import { listInspections } from "@/lib/data/inspections";
import { listUsers } from "@/lib/data/users";
import type { InspectorOption } from "./staff-actions";

/**
 * Who can be assigned as inspector. The data layer has no staff directory readable by every staff
 * role (users_list is admin-only), so: administrators get every active staff user; other staff
 * get themselves, the current inspector, and everyone already assigned to a recent application.
 * The database checks the choice again (an active staff member).
 */
export async function inspectorOptions(actor: Actor, inspection: Inspection, meLabel: string): Promise<InspectorOption[]> {
  const options = new Map<string, string>();
  options.set(actor.id, meLabel);
  if (inspection.inspector_id) options.set(inspection.inspector_id, inspection.inspector_name ?? inspection.inspector_id);
  if (can(actor.role, "users:manage")) {
    const users = await listUsers(actor.caller, { active: true, page: 1, limit: 100 });
    for (const u of users.data) if (isStaff(u.role) && !options.has(u.id)) options.set(u.id, u.display_name || u.email);
  } else {
    const recent = await listInspections(actor.caller, { page: 1, limit: 100 });
    for (const r of recent.data) if (r.inspector_id && !options.has(r.inspector_id)) options.set(r.inspector_id, r.inspector_name ?? r.inspector_id);
  }
  return [...options].map(([id, name]) => ({ id, name }));
}
