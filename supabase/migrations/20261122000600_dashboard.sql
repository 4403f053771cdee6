-- Dashboard read models for staff. Every figure comes from summaries (item_stock_totals) or from
-- flows in a bounded time window through indexes, never from a scan of the ledger, so the cost of
-- the dashboard does not grow with stock_movements.
--
-- Access intent: staff only (each function checks the actor's role); nothing is written.

create index if not exists flows_updated_at_idx on public.flows (updated_at desc);

-- KPIs: active SKUs, stock value at unit cost, items below reorder point, flows waiting for
-- approval (submitted) and for commit (approved).
create or replace function public.dashboard_kpis(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return (
    select jsonb_build_object(
      'active_skus', count(*) filter (where i.active),
      'stock_value', coalesce(sum(coalesce(t.on_hand, 0) * i.unit_cost), 0),
      'stock_units', coalesce(sum(coalesce(t.on_hand, 0)), 0),
      'low_stock', count(*) filter (where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point),
      'pending_approval', (select count(*) from public.flows f where f.status = 'submitted'),
      'awaiting_commit', (select count(*) from public.flows f where f.status = 'approved'),
      'open_inspections', null)
    from public.items i
    left join public.item_stock_totals t on t.item_id = i.id
  );
end;
$$;

-- Daily inbound and outbound quantities over the last p_days days (Seoul dates), from flows
-- committed in the window (flows_committed_at_idx), zero-filled.
create or replace function public.dashboard_trend(p_days int default 30, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_days is null or p_days < 1 or p_days > 366 then
    perform private.fail('bad_request', 'days must be between 1 and 366');
  end if;
  return (
    with moved as (
      select (f.committed_at at time zone 'Asia/Seoul')::date as day, f.kind, sum(fl.qty) as qty
      from public.flows f
      join public.flow_lines fl on fl.flow_id = f.id
      where f.status = 'committed'
        and f.committed_at >= (v_today - (p_days - 1))::timestamp at time zone 'Asia/Seoul'
        and f.kind in ('inbound', 'outbound')
      group by 1, 2
    )
    select jsonb_agg(jsonb_build_object(
      'day', d.day,
      'inbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'inbound'), 0),
      'outbound', coalesce((select m.qty from moved m where m.day = d.day and m.kind = 'outbound'), 0)) order by d.day)
    from (select generate_series(v_today - (p_days - 1), v_today, interval '1 day')::date as day) d
  );
end;
$$;

-- Stock value and units per engine and per location.
create or replace function public.dashboard_stock_breakdown(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'by_engine', coalesce((
      select jsonb_agg(jsonb_build_object('engine_id', e.id, 'code', coalesce(e.code, '—'), 'name_ko', e.name_ko, 'name_zh', e.name_zh,
               'name_en', e.name_en, 'units', x.units, 'value', x.value) order by x.value desc)
      from (
        select i.engine_id, sum(coalesce(t.on_hand, 0)) as units, sum(coalesce(t.on_hand, 0) * i.unit_cost) as value
        from public.items i left join public.item_stock_totals t on t.item_id = i.id
        group by i.engine_id
      ) x
      left join public.engines e on e.id = x.engine_id), '[]'::jsonb),
    'by_location', coalesce((
      select jsonb_agg(jsonb_build_object('location_id', l.id, 'code', l.code, 'name', l.name, 'country', l.country,
               'units', coalesce(x.units, 0), 'value', coalesce(x.value, 0)) order by l.code)
      from public.locations l
      left join (
        select s.location_id, sum(s.on_hand) as units, sum(s.on_hand * i.unit_cost) as value
        from public.stocks s join public.items i on i.id = s.item_id
        group by s.location_id
      ) x on x.location_id = l.id
      where l.active or coalesce(x.units, 0) > 0), '[]'::jsonb));
end;
$$;

-- The items that moved most (units in and out) in committed flows of the last p_days days.
create or replace function public.dashboard_top_movers(p_days int default 30, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_days is null or p_days < 1 or p_days > 366 or p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', 'days must be 1..366 and limit 1..50');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
             'unit', i.unit, 'inbound', m.inbound, 'outbound', m.outbound, 'moved', m.moved) order by m.moved desc, i.sku)
    from (
      select fl.item_id,
             sum(abs(fl.qty)) filter (where f.kind = 'inbound') as inbound,
             sum(abs(fl.qty)) filter (where f.kind = 'outbound') as outbound,
             sum(abs(fl.qty)) as moved
      from public.flows f
      join public.flow_lines fl on fl.flow_id = f.id
      where f.status = 'committed' and f.committed_at >= now() - make_interval(days => p_days)
      group by fl.item_id
      order by sum(abs(fl.qty)) desc
      limit p_limit
    ) m
    join public.items i on i.id = m.item_id), '[]'::jsonb);
end;
$$;

-- The latest changes to flows (newest first): what happened, to which flow, by whom.
create or replace function public.dashboard_recent_activity(p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', 'limit must be 1..50');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('flow_id', f.id, 'number', f.number, 'kind', f.kind, 'status', f.status, 'at', f.updated_at,
             'by', (select p.display_name from public.profiles p where p.id = case f.status
                      when 'draft' then f.created_by when 'submitted' then f.submitted_by when 'approved' then f.approved_by
                      when 'committed' then f.committed_by else f.cancelled_by end)) order by f.updated_at desc)
    from (select * from public.flows order by updated_at desc limit p_limit) f), '[]'::jsonb);
end;
$$;

revoke all on function public.dashboard_kpis(uuid), public.dashboard_trend(int, uuid), public.dashboard_stock_breakdown(uuid),
  public.dashboard_top_movers(int, int, uuid), public.dashboard_recent_activity(int, uuid) from public, anon;
grant execute on function public.dashboard_kpis(uuid), public.dashboard_trend(int, uuid), public.dashboard_stock_breakdown(uuid),
  public.dashboard_top_movers(int, int, uuid), public.dashboard_recent_activity(int, uuid) to authenticated, service_role;
