-- The dashboard's top movers: one sum per item over the period, then the two kinds for the few.
--
-- dashboard_top_movers summed every item's daily totals of the period three times (inbound,
-- outbound and all) before keeping the top ones: 73,000 daily rows and 10,000 items on the bench
-- database, 66-99 ms on every /dashboard (docs/performance.md, 2026-12-07). Numeric sums are
-- most of that. Now the period's rows are summed once per item to rank them, and the inbound and
-- outbound totals are read for the items kept only, through the item index. The answer is the
-- same; among items with the same total at the cut, the lower id is kept (it was whichever the
-- sort met first).

CREATE OR REPLACE FUNCTION public.dashboard_top_movers(p_days integer DEFAULT 30, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
  v_from date;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_days is null or p_days < 1 or p_days > private.dashboard_max_days() or p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', format('days must be 1..%s and limit 1..50', private.dashboard_max_days()));
  end if;
  v_from := v_today - (p_days - 1);
  return coalesce((
    select jsonb_agg(jsonb_build_object('item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
             'unit', i.unit, 'inbound', k.inbound, 'outbound', k.outbound, 'moved', m.moved) order by m.moved desc, i.sku)
    from (
      select t.item_id, sum(t.qty) as moved
      from public.flow_daily_totals t
      where t.day >= v_from
      group by t.item_id
      order by sum(t.qty) desc, t.item_id
      limit p_limit
    ) m
    join public.items i on i.id = m.item_id
    cross join lateral (
      select sum(t.qty) filter (where t.kind = 'inbound') as inbound,
             sum(t.qty) filter (where t.kind = 'outbound') as outbound
      from public.flow_daily_totals t
      where t.item_id = m.item_id and t.day >= v_from and t.kind in ('inbound', 'outbound')) k), '[]'::jsonb);
end;
$function$;
