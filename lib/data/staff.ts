import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { actorArg } from "./results";

// The staff directory: active staff members as colleagues see them (id, name, role; no email).
// Every staff role may read it; the database refuses customers and anon.

export const staffMember = z.object({
  id: z.uuid(),
  display_name: z.string(),
  role: z.enum(["admin", "manager", "korean_team", "chinese_staff"]),
});
export type StaffMember = z.infer<typeof staffMember>;

export const fnStaffDirectory = defineFunction("staff_directory", z.object({ ...actorArg }), z.array(staffMember));

export function listStaff(as: Caller) {
  return call(fnStaffDirectory, {}, as);
}
