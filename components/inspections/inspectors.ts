import "server-only";
import type { Actor } from "@/lib/auth";
import type { Inspection } from "@/lib/data/inspections";
import { listStaff } from "@/lib/data/staff";
import type { InspectorOption } from "./staff-actions";

/**
 * Who can be assigned as inspector: every active staff member, from the staff directory (readable
 * by every staff role), the actor first. The current inspector stays in the list even when no
 * longer active, so the form shows who it is; the database checks the choice again (an active
 * staff member).
 */
export async function inspectorOptions(actor: Actor, inspection: Inspection, meLabel: string): Promise<InspectorOption[]> {
  const options = new Map<string, string>();
  options.set(actor.id, meLabel);
  if (inspection.inspector_id) options.set(inspection.inspector_id, inspection.inspector_name ?? inspection.inspector_id);
  for (const s of await listStaff(actor.caller)) {
    if (!options.has(s.id)) options.set(s.id, s.display_name || s.id);
  }
  return [...options].map(([id, name]) => ({ id, name }));
}
