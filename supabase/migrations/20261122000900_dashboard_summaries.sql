-- Dashboard summaries: committed quantities per Seoul day, flow kind and item.
--
-- The trend and top-movers widgets used to add up the lines of every flow committed in their
-- window. That is bounded by time, but it still grows with how busy the window was (75,000 lines
-- in 30 days at 1,000,000 ledger rows: ~80-100 ms per widget). This table holds one row per
-- (day, kind, item), written when a flow is committed, so the widgets read at most
-- days x kinds x moved items rows whatever the size of the ledger.
--
-- Access intent: no direct access for anon or authenticated (RLS on, no policies); only the
-- security-definer dashboard functions read it and only the commit trigger writes it.

create table public.flow_daily_totals (
  day date not null,
  kind text not null,
  item_id uuid not null references public.items (id) on delete cascade,
  qty numeric(14, 3) not null,
  lines int not null,
  primary key (day, kind, item_id),
  constraint flow_daily_totals_kind_valid check (kind in ('inbound', 'outbound', 'transfer', 'adjustment'))
);
create index flow_daily_totals_item_idx on public.flow_daily_totals (item_id);
alter table public.flow_daily_totals enable row level security;
revoke all on public.flow_daily_totals from anon, authenticated;
grant select on public.flow_daily_totals to service_role;

-- Adds a flow's lines when it becomes committed. Items in a fixed order, as flow_commit locks
-- stock rows, so two commits of flows with the same items cannot deadlock on these rows.
create or replace function private.flow_daily_totals_add()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.flow_daily_totals as t (day, kind, item_id, qty, lines)
  select (new.committed_at at time zone 'Asia/Seoul')::date, new.kind, fl.item_id, sum(abs(fl.qty)), count(*)
  from public.flow_lines fl
  where fl.flow_id = new.id
  group by fl.item_id
  order by fl.item_id
  on conflict (day, kind, item_id) do update set qty = t.qty + excluded.qty, lines = t.lines + excluded.lines;
  return null;
end;
$$;
revoke all on function private.flow_daily_totals_add() from public;
create trigger flows_daily_totals after update of status on public.flows
  for each row when (new.status = 'committed' and old.status is distinct from 'committed')
  execute function private.flow_daily_totals_add();

-- What was committed before this migration. (npm run db:restore loads this table's rows as
-- backed up, with triggers off, so restored flows are not added a second time.)
insert into public.flow_daily_totals (day, kind, item_id, qty, lines)
select (f.committed_at at time zone 'Asia/Seoul')::date, f.kind, fl.item_id, sum(abs(fl.qty)), count(*)
from public.flows f
join public.flow_lines fl on fl.flow_id = f.id
where f.status = 'committed'
group by 1, 2, 3
on conflict (day, kind, item_id) do nothing;

-- Daily inbound and outbound quantities over the last p_days Seoul days, zero-filled.
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
$$;

-- The items that moved most (units in and out, every kind) in the last p_days Seoul days.
create or replace function public.dashboard_top_movers(p_days int default 30, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'Asia/Seoul')::date;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_days is null or p_days < 1 or p_days > 366 or p_limit is null or p_limit < 1 or p_limit > 50 then
    perform private.fail('bad_request', 'days must be 1..366 and limit 1..50');
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
$$;

-- KPIs, now with the inspections that are still open (neither completed nor cancelled).
create index if not exists inspections_open_idx on public.inspection_applications (status)
  where status not in ('completed', 'cancelled');

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
      'open_inspections', (select count(*) from public.inspection_applications a where a.status not in ('completed', 'cancelled')))
    from public.items i
    left join public.item_stock_totals t on t.item_id = i.id
  );
end;
$$;
