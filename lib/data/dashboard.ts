import { cache } from "react";
import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { actorArg } from "./results";

// The staff dashboard's read models (supabase/migrations/*_dashboard.sql).

const num = z.coerce.number();
const names = { name_ko: z.string().nullable(), name_zh: z.string().nullable(), name_en: z.string().nullable() };

export const kpisSchema = z.object({
  active_skus: num,
  stock_value: num,
  stock_units: num,
  low_stock: num,
  pending_approval: num,
  awaiting_commit: num,
  open_inspections: num.nullable(),
});
export const trendSchema = z.array(z.object({ day: z.string(), inbound: num, outbound: num }));
export const breakdownSchema = z.object({
  by_engine: z.array(z.object({ engine_id: z.uuid().nullable(), code: z.string(), ...names, units: num, value: num })),
  by_location: z.array(z.object({ location_id: z.uuid(), code: z.string(), name: z.string(), country: z.string(), units: num, value: num })),
});
export const moversSchema = z.array(
  z.object({ item_id: z.uuid(), sku: z.string(), ...names, name_ko: z.string(), unit: z.string(), inbound: num.nullable(), outbound: num.nullable(), moved: num }),
);
export const activitySchema = z.array(
  z.object({ flow_id: z.uuid(), number: z.string(), kind: z.string(), status: z.string(), at: z.string(), by: z.string().nullable() }),
);

const fnKpis = defineFunction("dashboard_kpis", z.object(actorArg), kpisSchema);
const fnTrend = defineFunction("dashboard_trend", z.object({ p_days: z.number().int(), ...actorArg }), trendSchema);
const fnBreakdown = defineFunction("dashboard_stock_breakdown", z.object(actorArg), breakdownSchema);
const fnMovers = defineFunction("dashboard_top_movers", z.object({ p_days: z.number().int(), p_limit: z.number().int(), ...actorArg }), moversSchema);
const fnActivity = defineFunction("dashboard_recent_activity", z.object({ p_limit: z.number().int(), ...actorArg }), activitySchema);

export const getKpis = (as: Caller) => call(fnKpis, {}, as);
export const getTrend = (as: Caller, days = 30) => call(fnTrend, { p_days: days }, as);
// Two widgets (by business line, by warehouse) show the same breakdown: one query per page render.
export const getStockBreakdown = cache((as: Caller) => call(fnBreakdown, {}, as));
export const getTopMovers = (as: Caller, days = 30, limit = 10) => call(fnMovers, { p_days: days, p_limit: limit }, as);
export const getRecentActivity = (as: Caller, limit = 10) => call(fnActivity, { p_limit: limit }, as);
