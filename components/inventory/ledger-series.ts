import type { LedgerRow } from "@/lib/data/stocks";

// The running balance of one item per location, from a page of its ledger (newest first).
// Each movement carries the location's balance after it, so the lines are exact; before a
// location's first movement on the page its balance is that movement's balance minus its delta.

export type BalancePoint = { at: string; label: string } & Record<string, number | string>;
export type BalanceSeries = { locations: string[]; points: BalancePoint[] };

export function balanceSeries(rows: LedgerRow[], label: (iso: string) => string): BalanceSeries {
  const chronological = [...rows].reverse();
  const locations = [...new Set(chronological.map((r) => r.location_code))].sort();
  const current: Record<string, number> = {};
  for (const code of locations) {
    const first = chronological.find((r) => r.location_code === code)!;
    current[code] = first.balance_after - first.delta;
  }
  const points: BalancePoint[] = [];
  if (chronological.length > 0) {
    points.push({ at: chronological[0].created_at, label: "", ...current });
  }
  for (const row of chronological) {
    current[row.location_code] = row.balance_after;
    points.push({ at: row.created_at, label: label(row.created_at), ...current });
  }
  return { locations, points };
}
