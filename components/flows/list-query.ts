import "@/lib/zod-setup";
import { z } from "zod";
import { FLOW_KINDS, FLOW_STATUSES } from "@/lib/schemas/flows";
import type { FlowListQuery } from "@/lib/data/flows";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from "@/components/ui/page-size";

// /flows keeps its filters and page in the URL (parsed and linked with components/toolkit/list-url).
// Dates in the URL are calendar days; the API's list query takes instants.

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)));

export const flowListUrl = z.object({
  kind: z.enum(FLOW_KINDS).optional(),
  status: z.enum(FLOW_STATUSES).optional(),
  q: z
    .string()
    .transform((v) => v.trim().slice(0, 100) || undefined)
    .optional(),
  from: day.optional(),
  to: day.optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce
    .number()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .default(DEFAULT_PAGE_SIZE),
});

export type FlowListParams = z.output<typeof flowListUrl>;

/** Dates are Korean calendar days (the company's): `to` includes its whole day. */
function kstStart(date: string, plusDays = 0): string {
  const d = new Date(`${date}T00:00:00+09:00`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString();
}

export function toListQuery(p: FlowListParams): FlowListQuery {
  return {
    kind: p.kind,
    status: p.status,
    q: p.q,
    from: p.from ? kstStart(p.from) : undefined,
    to: p.to ? kstStart(p.to, 1) : undefined,
    page: p.page,
    limit: p.limit,
  };
}
