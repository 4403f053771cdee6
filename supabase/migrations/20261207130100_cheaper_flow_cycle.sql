-- Cheaper outbound cycle (issue 17), measured by `npm run bench` (docs/performance.md).
--
-- 1. flow_json and flow_shortfalls run on every flow call (each returns the flow). As LANGUAGE sql
--    functions with `set search_path` they are never inlined, and Postgres planned their bodies
--    again on every call (the five-way join of the shortfalls, the lines, the names). As PL/pgSQL
--    they keep their plans for the connection's life, as the identity helpers do since
--    20261130000600_cached_plans.sql. The item of each line (and its stock row) is looked up by
--    key per line: joined, the planner sized a flow by the average (hundreds of lines once large
--    flows exist) and hashed every item and stock row for a flow of one line. Same results.
-- 2. flow_commit no longer creates a temporary table per commit (a catalog insert and drop every
--    time, and a table without statistics that made the planner scan every stock row to lock a
--    few): the movements are read once into arrays, and stocks and the ledger are written by one
--    statement each instead of one pair per line. Same checks, same lock order, same ledger rows
--    (in line order, each balance_after the running balance of its stock row).
-- 3. begin_action resolved the caller twice (private.actor, then private.actor_role, which calls
--    private.actor again: two session checks). Now once: the session check, then the role of that
--    actor's active profile. Same rule.
-- 4. shortage_of, called by the item-totals trigger on each commit, is PL/pgSQL for the same
--    reason as 1.

create or replace function private.flow_shortfalls(p_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object(
      'line_no', x.line_no, 'item_id', x.item_id, 'sku', (select i.sku from public.items i where i.id = x.item_id),
      'location_id', x.location_id, 'location_code', x.location_code, 'requested', x.requested, 'available', x.available,
      'short', x.requested - x.available) order by x.line_no), '[]'::jsonb)
  into v
  from (
    select fl.line_no, fl.item_id, loc.id as location_id, loc.code as location_code,
           case when f.kind = 'adjustment' then -fl.qty else fl.qty end as requested,
           coalesce((select s.on_hand from public.stocks s where s.item_id = fl.item_id and s.location_id = loc.id), 0) as available
    from public.flows f
    join public.flow_lines fl on fl.flow_id = f.id
    join public.locations loc on loc.id = case when f.kind = 'adjustment' then f.to_location_id else f.from_location_id end
    where f.id = p_id
      and f.status in ('draft', 'submitted', 'approved')
      and (f.kind in ('outbound', 'transfer') or (f.kind = 'adjustment' and fl.qty < 0))
  ) x
  where x.requested > x.available;
  return v;
end;
$$;

create or replace function private.flow_json(p_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  select to_jsonb(f) || jsonb_build_object(
    'from_location', (select jsonb_build_object('id', l.id, 'code', l.code, 'name', l.name) from public.locations l where l.id = f.from_location_id),
    'to_location', (select jsonb_build_object('id', l.id, 'code', l.code, 'name', l.name) from public.locations l where l.id = f.to_location_id),
    'customer', (select jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) from public.customers c where c.id = f.customer_id),
    'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
    'submitted_by_name', (select p.display_name from public.profiles p where p.id = f.submitted_by),
    'approved_by_name', (select p.display_name from public.profiles p where p.id = f.approved_by),
    'committed_by_name', (select p.display_name from public.profiles p where p.id = f.committed_by),
    'cancelled_by_name', (select p.display_name from public.profiles p where p.id = f.cancelled_by),
    'reversed_by', (select jsonb_agg(jsonb_build_object('id', r.id, 'number', r.number, 'status', r.status)) from public.flows r where r.reversal_of = f.id),
    'lines', coalesce((
      select jsonb_agg(jsonb_build_object('id', fl.id, 'line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty)
        || (select jsonb_build_object('sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en,
                                      'unit', i.unit, 'customer_id', i.customer_id)
            from public.items i where i.id = fl.item_id)
        order by fl.line_no)
      from public.flow_lines fl
      where fl.flow_id = f.id), '[]'::jsonb),
    'shortfalls', private.flow_shortfalls(f.id))
  into v
  from public.flows f
  where f.id = p_id;
  return v;
end;
$$;

create or replace function private.shortage_of(p_active boolean, p_reorder_point numeric, p_on_hand numeric)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case when p_active and p_reorder_point > 0 and p_on_hand < p_reorder_point then p_reorder_point - p_on_hand end;
end;
$$;

create or replace function private.begin_action(p_actor uuid, variadic p_roles text[])
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text;
begin
  -- The role of the resolved actor's active profile: what private.actor_role(p_actor) answers,
  -- without resolving (and checking the session of) the caller a second time.
  if v_actor is not null then
    select p.role into v_role from public.profiles p where p.id = v_actor and p.active;
  end if;
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if not (v_role = any (p_roles)) then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  perform set_config('duly.actor', v_actor::text, true);
  return v_actor;
end;
$$;

create or replace function public.flow_commit(p_id uuid, p_kind text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_short record;
  -- The flow's movements in ledger order (line, then from before to): a transfer has two per line.
  v_line_ids uuid[];
  v_items uuid[];
  v_locations uuid[];
  v_deltas numeric[];
begin
  perform private.require_status(v_flow, 'committed', 'approved');

  select coalesce(array_agg(fl.id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(fl.item_id order by fl.line_no, d.seq), '{}'),
         coalesce(array_agg(d.location_id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(d.delta order by fl.line_no, d.seq), '{}')
  into v_line_ids, v_items, v_locations, v_deltas
  from public.flow_lines fl
  cross join lateral (
    values
      (case when v_flow.kind in ('outbound', 'transfer') then v_flow.from_location_id end, -fl.qty, 1),
      (case when v_flow.kind in ('inbound', 'transfer', 'adjustment') then v_flow.to_location_id end, fl.qty, 2)
  ) as d(location_id, delta, seq)
  where fl.flow_id = p_id and d.location_id is not null;

  -- Stock rows to be, created empty where missing (in lock order), then locked in that order.
  insert into public.stocks (item_id, location_id, on_hand)
  select distinct m.item_id, m.location_id, 0 from unnest(v_items, v_locations) as m(item_id, location_id) order by 1, 2
  on conflict do nothing;
  perform 1 from public.stocks s
  where (s.item_id, s.location_id) in (select m.item_id, m.location_id from unnest(v_items, v_locations) as m(item_id, location_id))
  order by s.item_id, s.location_id
  for update;

  select d.item_id, d.location_id, s.on_hand as available, -sum(d.delta) as requested
  into v_short
  from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
  join public.stocks s on s.item_id = d.item_id and s.location_id = d.location_id
  group by d.item_id, d.location_id, s.on_hand
  having s.on_hand + sum(d.delta) < 0
  order by d.item_id, d.location_id
  limit 1;
  if found then
    perform private.fail('insufficient_stock', 'Not enough stock to commit this flow',
      jsonb_build_object('item_id', v_short.item_id, 'location_id', v_short.location_id,
        'available', v_short.available, 'requested', v_short.requested,
        'sku', (select sku from public.items where id = v_short.item_id),
        'location_code', (select code from public.locations where id = v_short.location_id)));
  end if;

  -- The ledger rows, each with the running balance of its stock row (from the locked on_hand),
  -- in ledger order; then each stock row moves by the sum of its movements.
  insert into public.stock_movements (flow_id, flow_line_id, item_id, location_id, delta, balance_after, actor_id)
  select p_id, m.flow_line_id, m.item_id, m.location_id, m.delta,
         s.on_hand + sum(m.delta) over (partition by m.item_id, m.location_id order by m.ord), v_actor
  from unnest(v_line_ids, v_items, v_locations, v_deltas) with ordinality as m(flow_line_id, item_id, location_id, delta, ord)
  join public.stocks s on s.item_id = m.item_id and s.location_id = m.location_id
  order by m.ord;
  update public.stocks s set on_hand = s.on_hand + m.delta, updated_at = now()
  from (select d.item_id, d.location_id, sum(d.delta) as delta
        from unnest(v_items, v_locations, v_deltas) as d(item_id, location_id, delta)
        group by d.item_id, d.location_id) m
  where s.item_id = m.item_id and s.location_id = m.location_id;

  -- Item totals (a transfer's two movements cancel out), and a low-stock notice when this commit
  -- takes an item from at or above its reorder point to below it.
  with changed as (
    select d.item_id, sum(d.delta) as delta from unnest(v_items, v_deltas) as d(item_id, delta)
    group by d.item_id having sum(d.delta) <> 0
  ), updated as (
    insert into public.item_stock_totals as t (item_id, on_hand, updated_at)
    select c.item_id, c.delta, now() from changed c
    order by c.item_id
    on conflict (item_id) do update set on_hand = t.on_hand + excluded.on_hand, updated_at = now()
    returning t.item_id, t.on_hand
  )
  insert into public.notifications (kind, item_id, payload)
  select 'low_stock', u.item_id, jsonb_build_object(
    'sku', i.sku, 'name_ko', i.name_ko, 'on_hand', u.on_hand, 'reorder_point', i.reorder_point,
    'flow_id', p_id, 'flow_number', v_flow.number)
  from updated u
  join changed c on c.item_id = u.item_id
  join public.items i on i.id = u.item_id
  where u.on_hand < i.reorder_point and u.on_hand - c.delta >= i.reorder_point;

  update public.flows set status = 'committed', committed_by = v_actor, committed_at = now() where id = p_id;
  return private.flow_json(p_id);
end;
$$;

-- The ledger page of one item reads its newest rows in order from this index, at any ledger size
-- (the (item, location, id) index made it read and sort all of the item's rows: 100 at 1M ledger
-- rows, 1,000 at 10M). With a location too, it filters at most the item's rows of the other
-- locations. Nothing else needed the old index's order: the invariant check reads the whole
-- ledger by design.
create index if not exists stock_movements_item_idx on public.stock_movements (item_id, id desc);
drop index if exists public.stock_movements_item_location_idx;
