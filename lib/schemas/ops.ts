import "@/lib/zod-setup";
import { z } from "zod";

// Maintenance mode as admins switch it: JSON {active, message?, ends_at?} from the API, or the
// status page's plain HTML form (active=true|false, message, ends_at from a datetime-local field,
// which is a wall-clock time in Seoul, the company's time zone).

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

const endsAt = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : LOCAL_TIME.test(v) ? `${v}${v.length === 16 ? ":00" : ""}+09:00` : v))
  .pipe(z.iso.datetime({ offset: true }).nullable());

export const maintenanceSchema = z.object({
  active: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
  message: z.string().trim().max(500).nullable().optional(),
  ends_at: endsAt.nullable().optional(),
});
export type MaintenanceInput = z.output<typeof maintenanceSchema>;
