-- The dashboard's periods go up to a quarter (92 days), and its daily totals are kept that long
-- (issue 17: the per-item daily totals were 136 MB of a 618 MB bench database holding a year of
-- a million ledger rows, a row per day, kind and item moved).
--
-- The dashboard shows 30 days (GET /api/v1/dashboard, the staff home page); dashboard_trend and
-- dashboard_top_movers accepted up to 366, so a year of per-item rows was kept for calls nothing
-- in the app makes. A quarter leaves room for a 90-day view. Longer periods are the ledger's: its
-- list and export filter by any dates, and the flows and the ledger keep every movement. The
-- summary is only a summary.
--
-- private.dashboard_max_days() is the one place the figure lives: the two readers refuse longer
-- periods, the daily prune deletes the days before today − 92 (the oldest a reader reads is
-- today − 91: one day of margin for a job that runs just after midnight), and the benchmark loads
-- the days the prune keeps.

create or replace function private.dashboard_max_days()
returns int
language sql
immutable
set search_path = ''
as $$ select 92 $$;

revoke all on function private.dashboard_max_days() from public;

CREATE OR REPLACE FUNCTION public.dashboard_top_movers(p_days integer DEFAULT 30, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > private.dashboard_max_days() or p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', format('days must be 1..%s and limit 1..50', private.dashboard_max_days()));
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
             'unit', i.unit, 'inbound', m.inbound, 'outbound', m.outbound, 'moved', m.moved) order by m.moved desc, i.sku)
    from (
      select t.item_id,
             sum(t.qty) filter (where t.kind = 'inbound') as inbound,
             sum(t.qty) filter (where t.kind = 'outbound') as outbound,
             sum(t.qty) as moved
      from public.flow_daily_totals t
      where t.day >= v_today - (p_days - 1)
      group by t.item_id
      order by sum(t.qty) desc
      limit p_limit
    ) m
    join public.items i on i.id = m.item_id), '[]'::jsonb);
end;
$function$;

CREATE OR REPLACE FUNCTION public.dashboard_trend(p_days integer DEFAULT 30, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > private.dashboard_max_days() then
    perform private.fail('bad_request', format('days must be between 1 and %s', private.dashboard_max_days()));
  end if;
  return (
    with moved as (
      select t.day, t.kind, sum(t.qty) as qty
      from public.flow_daily_totals t
      where t.day >= v_today - (p_days - 1) and t.kind in ('inbound', 'outbound')
      group by 1, 2
    )
    select jsonb_agg(jsonb_build_object(
      'day', d.day,
      'inbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'inbound'), 0),
      'outbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'outbound'), 0)) order by d.day)
    from (select generate_series(v_today - (p_days - 1), v_today, interval '1 day')::date as day) d
  );
end;
$function$;

-- The prune in batches: the first run after this migration deletes nine months of totals at
-- once (767,200 rows took 0.75 s on the bench machine; a small hosted database could pass the
-- statement timeout, and then fail the same way every day). Each call deletes at most p_limit of
-- the oldest rows; the daily job calls it again until a call deletes fewer (lib/jobs/retention.ts).
drop function public.jobs_prune_flow_daily_totals();

create function public.jobs_prune_flow_daily_totals(p_limit int default 100000)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000000 then
    perform private.fail('bad_request', 'limit must be between 1 and 1000000');
  end if;
  -- The primary key leads with the day: the oldest rows first, a range of it.
  delete from public.flow_daily_totals t
  where (t.day, t.kind, t.item_id) in (
    select o.day, o.kind, o.item_id from public.flow_daily_totals o
    where o.day < (now() at time zone 'Asia/Seoul')::date - private.dashboard_max_days()
    order by o.day, o.kind, o.item_id
    limit p_limit);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

revoke all on function public.jobs_prune_flow_daily_totals(int) from public, anon, authenticated;
grant execute on function public.jobs_prune_flow_daily_totals(int) to service_role;
