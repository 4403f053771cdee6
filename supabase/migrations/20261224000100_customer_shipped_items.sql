-- What a customer was shipped, kept as it happens instead of gathered from its whole history.
--
-- A customer may read the goods on its own shipments (the items policy's third case,
-- private.my_shipped_items). That set was made, for every statement that read items as a
-- customer, from every line of every outbound flow of the company: one probe of the ledger for
-- each shipment it ever had. It grew with the company's history. On a copy of the bench
-- database where ACME had 2,015 shipments of five lines, one shipment's page
-- (portal_shipment_get) took 20-26 ms, a page of shipments 23-30 ms, and reading the items it
-- may see 19-24 ms; with its 15 shipments, 2.2, 3.1-4.2 and 1.3 ms (docs/performance.md).
--
-- A committed flow never changes again, so the goods of a customer's committed shipments are
-- kept in public.customer_shipped_items, one row per customer and item, written by the commit
-- (a trigger on the status change, while the flow's lines are still there to read). The lines of
-- its open and cancelled shipments are few and still in flow_lines, and are read as before, through
-- a partial index of those shipments. Same set, same rule: the policy answers the same rows.

create table public.customer_shipped_items (
  customer_id uuid not null,
  item_id uuid not null,
  constraint customer_shipped_items_pkey primary key (customer_id, item_id)
);
-- No foreign keys: the committed flows and their ledger rows, which nothing deletes, keep the
-- customer and the item. A key check would lock both rows on every commit to a customer.
-- In public, like the other tables kept from the ledger (item_stock_totals, flow_daily_totals),
-- so that a backup holds it and a restore replaces it with the rest; but no API role may read or
-- write it (row level security, no policy, no grant): the items policy reads it through
-- private.my_shipped_items.
alter table public.customer_shipped_items enable row level security;
revoke all on table public.customer_shipped_items from public, anon, authenticated, service_role;

insert into public.customer_shipped_items (customer_id, item_id)
select distinct f.customer_id, m.item_id
from public.flows f
join public.stock_movements m on m.flow_id = f.id
where f.kind = 'outbound' and f.status = 'committed' and f.customer_id is not null
on conflict do nothing;

create or replace function private.flow_shipped_items_add()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- In item order, so that two commits shipping the same goods to one customer wait for each
  -- other in the same order, never in a cycle.
  insert into public.customer_shipped_items (customer_id, item_id)
  select distinct new.customer_id, fl.item_id from public.flow_lines fl where fl.flow_id = new.id
  order by 2
  on conflict do nothing;
  return null;
end;
$$;
revoke all on function private.flow_shipped_items_add() from public;

-- After the status change and before flow_commit deletes the lines (the next statement).
create trigger flows_shipped_items after update of status on public.flows
  for each row
  when (new.status = 'committed' and old.status is distinct from 'committed'
        and new.kind = 'outbound' and new.customer_id is not null)
  execute function private.flow_shipped_items_add();

-- The customers' open and cancelled shipments, whose lines are still in flow_lines.
create index flows_customer_open_shipments_idx on public.flows (customer_id)
  where kind = 'outbound' and status <> 'committed' and customer_id is not null;

create or replace function private.my_shipped_items()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  -- The goods on the signed-in customer's shipments, open or committed (see the header above).
  select s.item_id from public.customer_shipped_items s
  where s.customer_id = (select private.my_customer_id())
  union all
  select fl.item_id
  from public.flows f
  join public.flow_lines fl on fl.flow_id = f.id
  where f.kind = 'outbound' and f.status <> 'committed' and f.customer_id is not null
    and f.customer_id = (select private.my_customer_id())
$$;
revoke all on function private.my_shipped_items() from public;
grant execute on function private.my_shipped_items() to authenticated;

-- A page of shipments reads each line's item by key (see the comment in the function).
CREATE OR REPLACE FUNCTION private.shipments_json(p_ids uuid[], p_actor uuid)
 RETURNS TABLE(ord bigint, data jsonb)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
begin
  -- PL/pgSQL rather than SQL, and one plan for any ids, so that the statement is planned once per
  -- session, not on every call (see private.inspections_json).
  return query
  with page as materialized (
    select u.ord, f.id, f.number, f.status, f.reference, f.from_location_id, f.created_at, f.submitted_at,
           f.approved_at, f.committed_at, f.cancelled_at, f.updated_at
    from unnest(p_ids) with ordinality as u(id, ord)
    join public.flows f on f.id = u.id
  ), lines as materialized (
    select l.flow_id, jsonb_agg(jsonb_build_object('line_no', l.line_no, 'item_id', l.item_id, 'qty', l.qty,
             'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit) order by l.line_no) as lines
    from private.shipments_lines(array(select page.id from page), p_actor) l
    -- Each line's item by key, behind a fence. Joined as a whole, the planner guessed that three
    -- quarters of all items pass the policy and hashed every item the customer may see.
    cross join lateral (select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit
                        from public.items i where i.id = l.item_id offset 0) i
    group by l.flow_id
  )
  select f.ord, jsonb_build_object(
    'id', f.id, 'number', f.number, 'status', f.status, 'reference', f.reference,
    'from_location', case when l.id is not null then jsonb_build_object('code', l.code, 'name', l.name, 'country', l.country) end,
    'created_at', f.created_at, 'submitted_at', f.submitted_at, 'approved_at', f.approved_at,
    'committed_at', f.committed_at, 'cancelled_at', f.cancelled_at, 'updated_at', f.updated_at,
    'lines', coalesce(x.lines, '[]'::jsonb))
  from page f
  left join public.locations l on l.id = f.from_location_id
  left join lines x on x.flow_id = f.id;
end;
$function$;

-- The portal's shipment export, a batch at a time.
CREATE OR REPLACE FUNCTION public.portal_shipments_export(p_status text DEFAULT NULL::text, p_after jsonb DEFAULT NULL::jsonb, p_limit integer DEFAULT 2000, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
AS $function$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action_for(p_actor, 'own-records:read');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  -- The batch's shipments first (each gives at least one row; one more for the cursor's own,
  -- whose lines may all be done), then all their lines in one call: the batch costs what it
  -- holds, not the customer's whole history (a call per shipment, each checking the caller).
  with batch as materialized (
    select f.id, f.number, f.status, f.reference, f.from_location_id, f.created_at, f.committed_at
    from public.flows f
    where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
      and (p_status is null or f.status = p_status)
      and (p_after is null or (f.created_at, f.number) <= (v_at, v_number))
    order by f.created_at desc, f.number desc
    limit v_limit + 1
  ), lines as materialized (
    select l.flow_id, l.line_no, l.item_id, l.qty
    from private.shipments_lines(array(select b.id from batch b), p_actor) l
  )
  select json_agg(json_build_object(
      'number', x.number, 'status', x.status, 'reference', x.reference,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'created_at', x.created_at, 'committed_at', x.committed_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select b.number, b.status, b.reference, b.from_location_id, b.created_at, b.committed_at,
           coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from batch b
    left join lines fl on fl.flow_id = b.id
    where p_after is null or (b.created_at, b.number) < (v_at, v_number)
          or ((b.created_at, b.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line)
    order by b.created_at desc, b.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  -- Each row's item by key, behind a fence (see private.shipments_json).
  left join lateral (select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit
                     from public.items i where i.id = x.item_id offset 0) i on true;
  return private.export_batch(v_rows, v_limit);
end;
$function$;

-- The export read a shipment's lines through this, one call per shipment; nothing else does.
drop function private.shipment_lines(uuid, uuid);
