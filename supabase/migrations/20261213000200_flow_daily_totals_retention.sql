-- The dashboard's daily totals (flow_daily_totals: one row per day, kind and item moved) are kept
-- as long as the dashboard can read them, then deleted by the daily prune job (docs/operations.md
-- #retention; issue 17: at a million ledger rows the table was 137 MB, a fifth of the database,
-- almost all of it days that nothing reads).
--
-- The only readers are dashboard_trend and dashboard_top_movers, and both refuse a period longer
-- than 366 days, today (Asia/Seoul) included: the oldest day they read is today − 365. The prune
-- deletes days before today − 366, one day of margin for a job that runs just after midnight.
-- The totals are a summary of committed flows, which are never deleted: the ledger and the flows
-- keep every movement.
--
-- Access intent: service_role only, like the other prune functions (the daily idempotency-prune
-- job, lib/jobs/retention.ts).

create or replace function public.jobs_prune_flow_daily_totals()
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  -- The primary key leads with the day: a range delete of the oldest days.
  delete from public.flow_daily_totals t where t.day < (now() at time zone 'Asia/Seoul')::date - 366;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

revoke all on function public.jobs_prune_flow_daily_totals() from public, anon, authenticated;
grant execute on function public.jobs_prune_flow_daily_totals() to service_role;
