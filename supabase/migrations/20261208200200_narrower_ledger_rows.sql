-- A narrower ledger row (issue 17, the size target; docs/performance.md "Size").
--
-- A movement named its flow line twice: by the line's uuid (flow_line_id) and by its flow
-- (flow_id), each with its own index (38 MB and 11 MB at 1M rows). The line is now named by its
-- flow and its number, (flow_id, line_no), a foreign key to the flow line's own unique
-- (flow_id, line_no): 4 bytes instead of 16 in each row, and one index instead of two. The flow
-- index serves that key: draft lines are deleted and written again on every edit, and each
-- delete asks whether the ledger names the line; a draft has no movement at all, so the answer
-- is one probe of (flow_id) that finds nothing. The flow itself is held by the same key (a flow
-- delete cascades to its lines, which the ledger refuses), so no second key names it.
--
-- Dropping a column leaves it behind in every new row as a null (and a null bitmap that grows
-- the row header from 24 to 32 bytes), so the table is rebuilt once with its final columns, in
-- this transaction: same ids (the identity continues after the last), same rules (checks,
-- append-only triggers, row-level security, grants). 120 bytes a row instead of 136.
-- ledger_list answers the line as the flow shows it, line_no next to flow_id, instead of the
-- line's uuid (no reader used it; looking it up cost the ledger page a flow-line probe per row).

lock table public.stock_movements in access exclusive mode;

alter table public.stock_movements rename to stock_movements_old;
alter table public.stock_movements_old rename constraint stock_movements_pkey to stock_movements_old_pkey;
alter sequence public.stock_movements_id_seq rename to stock_movements_old_id_seq;
drop index if exists public.stock_movements_item_idx;
drop index if exists public.stock_movements_flow_idx;
drop index if exists public.stock_movements_line_idx;
drop index if exists public.stock_movements_location_key_idx;
drop index if exists public.stock_movements_created_brin;

-- The ledger. balance_after is the stock at (item, location) right after this movement; the
-- movement comes from line line_no of flow flow_id.
create table public.stock_movements (
  id bigint generated always as identity primary key,
  flow_id uuid not null,
  line_no integer not null,
  item_id uuid not null constraint stock_movements_item_id_fkey references public.items (id) on delete restrict,
  location_id uuid not null constraint stock_movements_location_id_fkey references public.locations (id) on delete restrict,
  delta numeric(14, 3) not null,
  balance_after numeric(14, 3) not null,
  actor_id uuid,
  created_at timestamptz not null default now(),
  constraint stock_movements_flow_line_fkey foreign key (flow_id, line_no)
    references public.flow_lines (flow_id, line_no) on delete restrict,
  constraint stock_movements_delta_nonzero check (delta <> 0),
  constraint stock_movements_balance_nonnegative check (balance_after >= 0)
);

insert into public.stock_movements (id, flow_id, line_no, item_id, location_id, delta, balance_after, actor_id, created_at)
overriding system value
select m.id, m.flow_id, fl.line_no, m.item_id, m.location_id, m.delta, m.balance_after, m.actor_id, m.created_at
from public.stock_movements_old m
join public.flow_lines fl on fl.id = m.flow_line_id
order by m.id;
select setval(pg_get_serial_sequence('public.stock_movements', 'id'),
              coalesce((select max(id) from public.stock_movements), 0) + 1, false);
drop table public.stock_movements_old;

-- The newest rows of an item (the ledger page of an item), the flow (the key above, a flow's
-- movements), the location (its foreign key; migration 20261208200100), the period (from/to).
create index stock_movements_item_idx on public.stock_movements (item_id, id desc);
create index stock_movements_flow_idx on public.stock_movements (flow_id);
create index stock_movements_location_key_idx on public.stock_movements (location_id);
create index stock_movements_created_brin on public.stock_movements using brin (created_at);

alter table public.stock_movements enable row level security;
revoke all on public.stock_movements from anon, authenticated, public;
-- Supabase's default privileges also give the identity sequence to the API roles.
revoke all on sequence public.stock_movements_id_seq from anon, authenticated;
grant select on public.stock_movements to authenticated;
grant all on public.stock_movements to service_role;
create policy "staff read the ledger" on public.stock_movements for select to authenticated using ((select private.is_staff()));
create trigger stock_movements_append_only before update or delete on public.stock_movements
  for each row execute function private.refuse_ledger_change();
create trigger stock_movements_no_truncate before truncate on public.stock_movements
  for each statement execute function private.refuse_ledger_change();

CREATE OR REPLACE FUNCTION public.flow_commit(p_id uuid, p_kind text DEFAULT NULL::text, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_actor uuid := private.begin_action_for(p_actor, 'flows:commit');
  v_flow public.flows := private.lock_flow(p_id, p_kind);
  v_short record;
  -- The flow's movements in ledger order (line, then from before to): a transfer has two per line.
  v_line_nos int[];
  v_items uuid[];
  v_locations uuid[];
  v_deltas numeric[];
begin
  perform private.require_status(v_flow, 'committed', 'approved');

  select coalesce(array_agg(fl.line_no order by fl.line_no, d.seq), '{}'), coalesce(array_agg(fl.item_id order by fl.line_no, d.seq), '{}'),
         coalesce(array_agg(d.location_id order by fl.line_no, d.seq), '{}'), coalesce(array_agg(d.delta order by fl.line_no, d.seq), '{}')
  into v_line_nos, v_items, v_locations, v_deltas
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
  insert into public.stock_movements (flow_id, line_no, item_id, location_id, delta, balance_after, actor_id)
  select p_id, m.line_no, m.item_id, m.location_id, m.delta,
         s.on_hand + sum(m.delta) over (partition by m.item_id, m.location_id order by m.ord), v_actor
  from unnest(v_line_nos, v_items, v_locations, v_deltas) with ordinality as m(line_no, item_id, location_id, delta, ord)
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
$function$;
grant execute on function public.flow_commit(uuid,text,uuid) to authenticated;
grant execute on function public.flow_commit(uuid,text,uuid) to service_role;

CREATE OR REPLACE FUNCTION public.ledger_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 50, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_rows jsonb;
  v_count int;
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    perform private.fail('bad_request', 'limit must be between 1 and 200');
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', m.id, 'flow_id', m.flow_id, 'line_no', m.line_no, 'item_id', m.item_id, 'location_id', m.location_id,
      'delta', m.delta, 'balance_after', m.balance_after, 'actor_id', m.actor_id, 'created_at', m.created_at,
      'flow_number', f.number, 'flow_kind', f.kind, 'sku', i.sku, 'location_code', l.code) order by m.id desc), '[]'::jsonb),
    count(*)
  into v_rows, v_count
  from (
    select * from public.stock_movements m
    where (p_item_id is null or m.item_id = p_item_id)
      and (p_location_id is null or m.location_id = p_location_id)
      and (p_from is null or m.created_at >= p_from)
      and (p_to is null or m.created_at < p_to)
      and (p_before is null or m.id < p_before)
    order by m.id desc
    limit p_limit) m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id;
  return jsonb_build_object(
    'data', v_rows,
    'limit', p_limit,
    'next_before', case when v_count = p_limit then (v_rows -> (v_count - 1) ->> 'id')::bigint end);
end;
$function$;
grant execute on function public.ledger_list(uuid,uuid,timestamp with time zone,timestamp with time zone,bigint,integer,uuid) to authenticated;
grant execute on function public.ledger_list(uuid,uuid,timestamp with time zone,timestamp with time zone,bigint,integer,uuid) to service_role;

