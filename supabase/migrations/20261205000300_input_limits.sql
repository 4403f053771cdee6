-- Input limits in the functions themselves (issue 12, item 4; docs/security.md, "Input limits").
-- Every function here is callable directly on Supabase (/rest/v1/rpc/<name>) with a user's own
-- token, so the rules the API's zod schemas apply must hold here too:
-- - a number with more decimals than its column keeps is refused, not silently rounded
--   (reorder_point and line quantities numeric(14,3), unit_cost numeric(14,2));
-- - a flow is created with at least one line;
-- - PATCH /api/v1/auth/me honours Idempotency-Key like every other write (update_my_profile may
--   run through rpc_idempotent).

-- ---------------------------------------------------------------------------------------------
-- Decimals: refuse what a numeric(p, s) column would round away.
-- ---------------------------------------------------------------------------------------------

-- validation_failed with a field path when p_value (a JSON number, or a numeric string) has more
-- than p_scale decimals. Anything else is left to the column's own cast, which refuses non-numbers.
create or replace function private.check_decimals(p_value jsonb, p_scale int, p_path text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v numeric;
begin
  if p_value is null or jsonb_typeof(p_value) not in ('number', 'string') then
    return;
  end if;
  if jsonb_typeof(p_value) = 'string'
     and (p_value #>> '{}') !~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' then
    return;
  end if;
  v := (p_value #>> '{}')::numeric;
  if v <> round(v, p_scale) then
    perform private.fail('validation_failed', format('%s has more than %s decimals', p_path, p_scale),
      jsonb_build_array(jsonb_build_object('path', p_path, 'message', format('At most %s decimals', p_scale))));
  end if;
end;
$$;
revoke all on function private.check_decimals(jsonb, int, text) from public;
grant execute on function private.check_decimals(jsonb, int, text) to authenticated, service_role;

-- The numbers of an item's create or patch body.
create or replace function private.check_item_numbers(p_data jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform private.check_decimals(p_data -> 'reorder_point', 3, 'reorder_point');
  perform private.check_decimals(p_data -> 'unit_cost', 2, 'unit_cost');
end;
$$;
revoke all on function private.check_item_numbers(jsonb) from public;
grant execute on function private.check_item_numbers(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Items: as in 20261122000300_catalog_functions.sql, with the decimals checked first.
-- ---------------------------------------------------------------------------------------------

create or replace function public.item_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.items;
  v public.items;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  -- Before the record is built: building it rounds to the column's scale.
  perform private.check_item_numbers(p_data);
  r := jsonb_populate_record(null::public.items, private.pick(p_data,
    array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active']));
  insert into public.items (sku, name_ko, name_zh, name_en, unit, engine_id, reorder_point, unit_cost, customer_id, barcode, active)
  values (r.sku, r.name_ko, r.name_zh, r.name_en, coalesce(r.unit, 'EA'), r.engine_id, coalesce(r.reorder_point, 0),
          coalesce(r.unit_cost, 0), r.customer_id, r.barcode, coalesce(r.active, true))
  returning * into v;
  insert into public.item_stock_totals (item_id, on_hand) values (v.id, 0);
  return private.item_json(v);
end;
$$;

create or replace function public.item_update(p_id uuid, p_patch jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cur public.items;
  r public.items;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  perform private.check_item_numbers(p_patch);
  select * into cur from public.items where id = p_id for update;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch,
    array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active']));
  if r.unit is distinct from cur.unit and exists (select 1 from public.stocks where item_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'The unit of an item in stock cannot change');
  end if;
  update public.items
  set sku = r.sku, name_ko = r.name_ko, name_zh = r.name_zh, name_en = r.name_en, unit = r.unit, engine_id = r.engine_id,
      reorder_point = r.reorder_point, unit_cost = r.unit_cost, customer_id = r.customer_id, barcode = r.barcode, active = r.active
  where id = p_id
  returning * into r;
  return private.item_json(r);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Flows: as in 20261122000400_flows.sql; line quantities keep 3 decimals, a new flow has lines.
-- ---------------------------------------------------------------------------------------------

create or replace function private.flow_set_lines(p_flow public.flows, p_lines jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_line jsonb;
  v_no int := 0;
  v_qty numeric;
  v_item public.items;
begin
  if p_lines is null or jsonb_typeof(p_lines) <> 'array' then
    perform private.fail('validation_failed', 'lines must be a list');
  end if;
  if jsonb_array_length(p_lines) > 500 then
    perform private.fail('validation_failed', 'A flow has at most 500 lines');
  end if;
  delete from public.flow_lines where flow_id = p_flow.id;
  for v_line in select * from jsonb_array_elements(p_lines) loop
    v_no := v_no + 1;
    perform private.check_decimals(v_line -> 'qty', 3, format('lines.%s.qty', v_no - 1));
    v_qty := (v_line ->> 'qty')::numeric;
    if v_qty is null or v_qty = 0 or (p_flow.kind <> 'adjustment' and v_qty < 0) then
      perform private.fail('validation_failed', 'Each line needs a quantity above zero (adjustments: not zero)',
        jsonb_build_object('line', v_no));
    end if;
    select * into v_item from public.items where id = (v_line ->> 'item_id')::uuid;
    if not found then
      perform private.fail('validation_failed', 'Unknown item', jsonb_build_object('line', v_no, 'item_id', v_line ->> 'item_id'));
    end if;
    if not v_item.active then
      perform private.fail('validation_failed', 'Item is inactive', jsonb_build_object('line', v_no, 'item_id', v_item.id));
    end if;
    if exists (select 1 from public.flow_lines where flow_id = p_flow.id and item_id = v_item.id) then
      perform private.fail('validation_failed', 'An item may appear only once in a flow', jsonb_build_object('line', v_no, 'item_id', v_item.id));
    end if;
    insert into public.flow_lines (flow_id, line_no, item_id, qty) values (p_flow.id, v_no, v_item.id, v_qty);
  end loop;
end;
$$;
revoke all on function private.flow_set_lines(public.flows, jsonb) from public;

create or replace function public.flow_create(
  p_kind text,
  p_lines jsonb,
  p_from_location_id uuid default null,
  p_to_location_id uuid default null,
  p_customer_id uuid default null,
  p_partner text default null,
  p_reference text default null,
  p_note text default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_flow public.flows;
begin
  if p_kind not in ('inbound', 'outbound', 'transfer', 'adjustment') then
    perform private.fail('validation_failed', 'Unknown flow kind', jsonb_build_object('kind', p_kind));
  end if;
  if p_lines is null or jsonb_typeof(p_lines) <> 'array' or jsonb_array_length(p_lines) = 0 then
    perform private.fail('validation_failed', 'A new flow needs at least one line',
      jsonb_build_array(jsonb_build_object('path', 'lines', 'message', 'At least one line')));
  end if;
  perform private.check_flow_refs(p_from_location_id, p_to_location_id, p_customer_id);
  insert into public.flows (number, kind, from_location_id, to_location_id, customer_id, partner, reference, note, created_by)
  values (private.next_flow_number(p_kind), p_kind, p_from_location_id, p_to_location_id, p_customer_id,
          nullif(trim(p_partner), ''), nullif(trim(p_reference), ''), nullif(trim(p_note), ''), v_actor)
  returning * into v_flow;
  perform private.flow_set_lines(v_flow, p_lines);
  return private.flow_json(v_flow.id);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- PATCH /api/v1/auth/me with an Idempotency-Key.
-- ---------------------------------------------------------------------------------------------

insert into private.idempotent_functions (name) values ('update_my_profile') on conflict (name) do nothing;
