-- Stock hints before commit, the customer of an outbound, and a search on the stock list.
--
-- Access intent
--   Nothing new is exposed: flow_json, flows_list and stocks_list keep their callers (staff).
--   - private.flow_shortfalls(flow): per line of an open flow (draft, submitted, approved) that
--     takes stock from a warehouse, how much is missing there now. A hint for people: commit
--     stays the one guard (it locks the stock rows and refuses, whatever a hint said earlier).
--   - flow_json carries `shortfalls`, so every flow answer (get, create, edit, submit, approve)
--     says it; flows_list carries `short_lines` per row, for the approvals list.
--   - An outbound of goods a customer owns names that customer: checked by a trigger whenever an
--     outbound moves on from draft (submit, approve, commit), whichever function moves it. A draft
--     may still be incomplete.
--   - stocks_list gains `p_q` (SKU, names, barcode); the old signature is dropped so there is one.

-- ---------------------------------------------------------------------------------------------
-- private.flow_shortfalls: missing stock per line of an open flow
-- ---------------------------------------------------------------------------------------------

-- Outbounds and transfers take qty from their "from" warehouse; an adjustment with a negative
-- quantity takes it from its warehouse. Inbounds take nothing.
create or replace function private.flow_shortfalls(p_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'line_no', x.line_no, 'item_id', x.item_id, 'sku', x.sku, 'location_id', x.location_id,
      'location_code', x.location_code, 'requested', x.requested, 'available', x.available,
      'short', x.requested - x.available) order by x.line_no), '[]'::jsonb)
  from (
    select fl.line_no, fl.item_id, i.sku, loc.id as location_id, loc.code as location_code,
           case when f.kind = 'adjustment' then -fl.qty else fl.qty end as requested,
           coalesce(s.on_hand, 0) as available
    from public.flows f
    join public.flow_lines fl on fl.flow_id = f.id
    join public.items i on i.id = fl.item_id
    join public.locations loc on loc.id = case when f.kind = 'adjustment' then f.to_location_id else f.from_location_id end
    left join public.stocks s on s.item_id = fl.item_id and s.location_id = loc.id
    where f.id = p_id
      and f.status in ('draft', 'submitted', 'approved')
      and (f.kind in ('outbound', 'transfer') or (f.kind = 'adjustment' and fl.qty < 0))
  ) x
  where x.requested > x.available
$$;
revoke all on function private.flow_shortfalls(uuid) from public;
grant execute on function private.flow_shortfalls(uuid) to authenticated, service_role;

-- Redefined from 20261122000400_flows.sql: the same object, plus `shortfalls`.
create or replace function private.flow_json(p_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
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
      select jsonb_agg(jsonb_build_object(
        'id', fl.id, 'line_no', fl.line_no, 'item_id', fl.item_id, 'qty', fl.qty,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
        'customer_id', i.customer_id) order by fl.line_no)
      from public.flow_lines fl join public.items i on i.id = fl.item_id
      where fl.flow_id = f.id), '[]'::jsonb),
    'shortfalls', private.flow_shortfalls(f.id))
  from public.flows f
  where f.id = p_id
$$;
revoke all on function private.flow_json(uuid) from public;
grant execute on function private.flow_json(uuid) to authenticated, service_role;

-- Redefined from 20261122000400_flows.sql: the same page, plus `short_lines` per row (how many
-- lines of an open flow lack stock now), for the approvals list.
create or replace function public.flows_list(
  p_kind text default null,
  p_status text default null,
  p_q text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_customer_id uuid default null,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(f) || jsonb_build_object(
          'from_location_code', (select l.code from public.locations l where l.id = f.from_location_id),
          'to_location_code', (select l.code from public.locations l where l.id = f.to_location_id),
          'customer_name', (select c.name from public.customers c where c.id = f.customer_id),
          'created_by_name', (select p.display_name from public.profiles p where p.id = f.created_by),
          'line_count', (select count(*) from public.flow_lines fl where fl.flow_id = f.id),
          'total_qty', (select coalesce(sum(abs(fl.qty)), 0) from public.flow_lines fl where fl.flow_id = f.id),
          'short_lines', case when f.status in ('draft', 'submitted', 'approved') and f.kind <> 'inbound'
                              then jsonb_array_length(private.flow_shortfalls(f.id)) else 0 end)
        order by f.created_at desc, f.number desc)
      from (
        select * from public.flows f
        where (p_kind is null or f.kind = p_kind)
          and (p_status is null or f.status = p_status)
          and (p_customer_id is null or f.customer_id = p_customer_id)
          and (p_from is null or f.created_at >= p_from)
          and (p_to is null or f.created_at < p_to)
          and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
        order by f.created_at desc, f.number desc
        limit p_limit offset v_offset) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.flows f
      where (p_kind is null or f.kind = p_kind)
        and (p_status is null or f.status = p_status)
        and (p_customer_id is null or f.customer_id = p_customer_id)
        and (p_from is null or f.created_at >= p_from)
        and (p_to is null or f.created_at < p_to)
        and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)),
    'page', p_page, 'limit', p_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- An outbound of a customer's goods names that customer
-- ---------------------------------------------------------------------------------------------

-- Without the customer, the shipment never reaches the customer's portal. One outbound ships to
-- one customer, so goods of two customers, or of another customer, are refused too.
create or replace function private.check_outbound_customer()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner uuid;
begin
  select i.customer_id into v_owner
  from public.flow_lines fl join public.items i on i.id = fl.item_id
  where fl.flow_id = new.id and i.customer_id is not null
    and i.customer_id is distinct from new.customer_id
  order by fl.line_no
  limit 1;
  if not found then
    return new;
  end if;
  if new.customer_id is null then
    perform private.fail('validation_failed', 'An outbound of a customer''s goods needs that customer',
      jsonb_build_array(jsonb_build_object('path', 'customer_id', 'message', 'Choose the customer who owns these goods',
        'code', 'customer_required', 'customer_id', v_owner)));
  end if;
  perform private.fail('validation_failed', 'These goods belong to another customer',
    jsonb_build_array(jsonb_build_object('path', 'customer_id', 'message', 'These goods belong to another customer',
      'code', 'customer_mismatch', 'customer_id', v_owner)));
  return new;
end;
$$;
revoke all on function private.check_outbound_customer() from public;

create trigger flows_outbound_customer
  before update of status on public.flows
  for each row
  when (new.kind = 'outbound' and new.status in ('submitted', 'approved', 'committed') and old.status is distinct from new.status)
  execute function private.check_outbound_customer();

-- ---------------------------------------------------------------------------------------------
-- stocks_list: a search (SKU, names, barcode)
-- ---------------------------------------------------------------------------------------------

drop function public.stocks_list(uuid, uuid, uuid, boolean, int, int, uuid);

create function public.stocks_list(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_engine_id uuid default null,
  p_low boolean default false,
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null,
  p_q text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_code text := trim(p_q);
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations): the rows of
    -- item_stock_totals whose shortage is set, read through its partial index, never all items.
    return jsonb_build_object(
      'data', coalesce((
        select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'reorder_point', i.reorder_point, 'on_hand', i.on_hand, 'shortage', i.shortage,
          'engine_id', i.engine_id, 'low', true,
          'locations', coalesce((select jsonb_agg(jsonb_build_object('location_id', s.location_id, 'location_code', l.code, 'on_hand', s.on_hand) order by l.code)
                                 from public.stocks s join public.locations l on l.id = s.location_id
                                 where s.item_id = i.id and (p_location_id is null or s.location_id = p_location_id)), '[]'::jsonb))
          order by i.shortage desc, i.sku)
        from (
          select i.*, t.on_hand, t.shortage from public.item_stock_totals t join public.items i on i.id = t.item_id
          where t.shortage is not null
            and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
            and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
            and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
                 or i.name_en ilike v_pattern or i.barcode = v_code)
          order by t.shortage desc, i.sku
          limit p_limit offset v_offset) i
      ), '[]'::jsonb),
      'count', (
        select count(*) from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)),
      'page', p_page, 'limit', p_limit);
  end if;

  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', x.item_id, 'location_id', x.location_id, 'on_hand', x.on_hand, 'updated_at', x.updated_at,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
        'engine_id', i.engine_id, 'reorder_point', i.reorder_point, 'unit_cost', i.unit_cost,
        'item_on_hand', coalesce(t.on_hand, 0), 'low', i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point,
        'location_code', l.code, 'location_name', l.name, 'country', l.country)
        order by i.sku, l.code)
      from (
        select s.* from public.stocks s
        join public.items i on i.id = s.item_id
        join public.locations l on l.id = s.location_id
        where (p_item_id is null or s.item_id = p_item_id)
          and (p_location_id is null or s.location_id = p_location_id)
          and (p_engine_id is null or i.engine_id = p_engine_id)
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)
        order by i.sku, l.code
        limit p_limit offset v_offset) x
      join public.items i on i.id = x.item_id
      join public.locations l on l.id = x.location_id
      left join public.item_stock_totals t on t.item_id = x.item_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.stocks s join public.items i on i.id = s.item_id
      where (p_item_id is null or s.item_id = p_item_id)
        and (p_location_id is null or s.location_id = p_location_id)
        and (p_engine_id is null or i.engine_id = p_engine_id)
        and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
             or i.name_en ilike v_pattern or i.barcode = v_code)),
    'page', p_page, 'limit', p_limit);
end;
$$;
revoke all on function public.stocks_list(uuid, uuid, uuid, boolean, int, int, uuid, text) from public, anon;
grant execute on function public.stocks_list(uuid, uuid, uuid, boolean, int, int, uuid, text) to authenticated, service_role;
