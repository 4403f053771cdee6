import { FLOW_KINDS, FLOW_STATUSES, type FlowKind, type FlowStatus } from "@/lib/schemas/flows";
import type { FlowListQuery } from "@/lib/data/flows";
import { DEFAULT_PAGE_SIZE, pageSizeOf } from "@/components/ui/page-size";

// /flows keeps its filters and page in the URL. A bad value (hand-edited URL, old bookmark) is
// dropped rather than failing the page.

export type FlowListParams = { kind?: FlowKind; status?: FlowStatus; q?: string; from?: string; to?: string; page: number; limit: number };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const isDate = (v: string | undefined): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export function parseListParams(sp: SearchParams): FlowListParams {
  const kind = first(sp.kind);
  const status = first(sp.status);
  const q = first(sp.q)?.trim().slice(0, 100);
  const from = first(sp.from);
  const to = first(sp.to);
  const page = Number(first(sp.page));
  return {
    kind: (FLOW_KINDS as readonly string[]).includes(kind ?? "") ? (kind as FlowKind) : undefined,
    status: (FLOW_STATUSES as readonly string[]).includes(status ?? "") ? (status as FlowStatus) : undefined,
    q: q || undefined,
    from: isDate(from) ? from : undefined,
    to: isDate(to) ? to : undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    limit: pageSizeOf(first(sp.limit)),
  };
}

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

/** The URL parameters of a list state (for links that change one thing and keep the rest). */
export function toUrlParams(p: Partial<FlowListParams>): Record<string, string | undefined> {
  return {
    kind: p.kind,
    status: p.status,
    q: p.q,
    from: p.from,
    to: p.to,
    page: p.page && p.page > 1 ? String(p.page) : undefined,
    limit: p.limit && p.limit !== DEFAULT_PAGE_SIZE ? String(p.limit) : undefined,
  };
}

export function listHref(p: Partial<FlowListParams>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(toUrlParams(p))) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/flows?${s}` : "/flows";
}
