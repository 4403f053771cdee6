-- Import checks within the tables' own bounds. The row checks allowed a reorder point and a
-- quantity below 100,000,000,000, but items_reorder_point_bound and flow_lines_qty_bound
-- (20261205000200_rpc_surface.sql) hold them to 1,000,000,000 (what the API's schemas allow): such a
-- row passed the preview and then failed the whole apply on a check constraint, with no row named.
-- Now it is a too_large error on its row, like any other. Only the bound changes in these two
-- functions (below p_max: 1,000,000,000 itself is allowed, as in the tables).

create or replace function private.import_check_item_row(p_cells jsonb, p_mapping jsonb)
returns table (status text, errors jsonb, changes jsonb, resolved jsonb, item_id uuid)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_sku text := private.import_cell(p_cells, p_mapping, 'sku');
  v_name_ko text := private.import_cell(p_cells, p_mapping, 'name_ko');
  v_name_zh text := private.import_cell(p_cells, p_mapping, 'name_zh');
  v_name_en text := private.import_cell(p_cells, p_mapping, 'name_en');
  v_unit text := upper(private.import_cell(p_cells, p_mapping, 'unit'));
  v_engine text := upper(private.import_cell(p_cells, p_mapping, 'engine_code'));
  v_reorder text := private.import_cell(p_cells, p_mapping, 'reorder_point');
  v_cost text := private.import_cell(p_cells, p_mapping, 'unit_cost');
  v_barcode text := private.import_cell(p_cells, p_mapping, 'barcode');
  v_customer text := upper(private.import_cell(p_cells, p_mapping, 'customer_code'));
  v_active text := lower(private.import_cell(p_cells, p_mapping, 'active'));
  v_err jsonb := '[]'::jsonb;
  cur public.items;
  r public.items;
  v_num_err jsonb;
  v_changes jsonb := '{}'::jsonb;
  v_engine_id uuid;
  v_customer_id uuid;
  v_field text;
begin
  if v_sku is null then
    v_err := v_err || private.import_error('sku', 'required');
  elsif v_sku !~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$' then
    v_err := v_err || private.import_error('sku', 'invalid_sku', jsonb_build_object('value', v_sku));
  else
    select * into cur from public.items i where upper(i.sku) = upper(v_sku);
  end if;
  if cur.id is not null then
    r := cur;
  else
    r := jsonb_populate_record(null::public.items,
      jsonb_build_object('sku', v_sku, 'unit', 'EA', 'reorder_point', 0, 'unit_cost', 0, 'active', true));
  end if;

  if v_name_ko is not null then r.name_ko := v_name_ko; end if;
  if v_name_zh is not null then r.name_zh := v_name_zh; end if;
  if v_name_en is not null then r.name_en := v_name_en; end if;
  if r.name_ko is null then
    v_err := v_err || private.import_error('name_ko', 'required');
  end if;
  foreach v_field in array array['name_ko', 'name_zh', 'name_en'] loop
    if char_length(coalesce(case v_field when 'name_ko' then v_name_ko when 'name_zh' then v_name_zh else v_name_en end, '')) > 200 then
      v_err := v_err || private.import_error(v_field, 'too_long', jsonb_build_object('max', 200));
    end if;
  end loop;

  if v_unit is not null then
    if v_unit not in ('EA', 'BOX', 'SET', 'KG', 'M') then
      v_err := v_err || private.import_error('unit', 'invalid_unit', jsonb_build_object('value', v_unit));
    elsif cur.id is not null and v_unit <> cur.unit and exists (select 1 from public.stocks s where s.item_id = cur.id and s.on_hand > 0) then
      v_err := v_err || private.import_error('unit', 'unit_locked');
    else
      r.unit := v_unit;
    end if;
  end if;

  if v_engine is not null then
    select e.id into v_engine_id from public.engines e where e.code = v_engine;
    if v_engine_id is null then
      v_err := v_err || private.import_error('engine_code', 'unknown_engine', jsonb_build_object('value', v_engine));
    else
      r.engine_id := v_engine_id;
    end if;
  end if;

  if v_customer is not null then
    select c.id into v_customer_id from public.customers c where c.code = v_customer;
    if v_customer_id is null then
      v_err := v_err || private.import_error('customer_code', 'unknown_customer', jsonb_build_object('value', v_customer));
    else
      r.customer_id := v_customer_id;
    end if;
  end if;

  if v_reorder is not null then
    v_num_err := private.import_number_errors(v_reorder, 'reorder_point', 3, true, 1000000000.001);
    if v_num_err = '[]'::jsonb then r.reorder_point := private.import_number(v_reorder); end if;
    v_err := v_err || v_num_err;
  end if;
  if v_cost is not null then
    v_num_err := private.import_number_errors(v_cost, 'unit_cost', 2, true, 1000000000000);
    if v_num_err = '[]'::jsonb then r.unit_cost := private.import_number(v_cost); end if;
    v_err := v_err || v_num_err;
  end if;

  if v_barcode is not null then
    if v_barcode !~ '^[A-Za-z0-9-]{4,64}$' then
      v_err := v_err || private.import_error('barcode', 'invalid_barcode', jsonb_build_object('value', v_barcode));
    elsif exists (select 1 from public.items i where i.barcode = v_barcode and i.id is distinct from cur.id) then
      v_err := v_err || private.import_error('barcode', 'barcode_taken', jsonb_build_object('value', v_barcode));
    else
      r.barcode := v_barcode;
    end if;
  end if;

  if v_active is not null then
    if v_active in ('true', '1', 'y', 'yes', 'o', '예', '사용', '활성', '是', '启用', 'active') then r.active := true;
    elsif v_active in ('false', '0', 'n', 'no', 'x', '아니오', '미사용', '비활성', '否', '停用', 'inactive') then r.active := false;
    else v_err := v_err || private.import_error('active', 'invalid_boolean', jsonb_build_object('value', v_active));
    end if;
  end if;

  if jsonb_array_length(v_err) > 0 then
    return query select 'error'::text, v_err, null::jsonb, null::jsonb, cur.id;
    return;
  end if;

  if cur.id is not null then
    select coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value)), '{}'::jsonb) into v_changes
    from jsonb_each(to_jsonb(r)) n join jsonb_each(to_jsonb(cur)) o using (key)
    where n.key in ('name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active')
      and n.value is distinct from o.value;
    -- People read codes, not ids.
    if v_changes ? 'engine_id' then
      v_changes := v_changes - 'engine_id' || jsonb_build_object('engine_code', jsonb_build_object(
        'from', (select e.code from public.engines e where e.id = cur.engine_id), 'to', v_engine));
    end if;
    if v_changes ? 'customer_id' then
      v_changes := v_changes - 'customer_id' || jsonb_build_object('customer_code', jsonb_build_object(
        'from', (select c.code from public.customers c where c.id = cur.customer_id), 'to', v_customer));
    end if;
  end if;

  return query select
    case when cur.id is null then 'new' when v_changes = '{}'::jsonb then 'unchanged' else 'changed' end,
    '[]'::jsonb,
    case when cur.id is null then null else v_changes end,
    jsonb_build_object('sku', r.sku, 'name_ko', r.name_ko, 'name_zh', r.name_zh, 'name_en', r.name_en, 'unit', r.unit,
      'engine_id', r.engine_id, 'reorder_point', r.reorder_point, 'unit_cost', r.unit_cost, 'customer_id', r.customer_id,
      'barcode', r.barcode, 'active', r.active),
    cur.id;
end;
$$;

create or replace function private.import_check_line_row(p_import public.imports, p_cells jsonb)
returns table (status text, errors jsonb, changes jsonb, resolved jsonb, item_id uuid)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_qty_text text := private.import_cell(p_cells, p_import.mapping, 'qty');
  v_found record;
  v_item public.items;
  v_err jsonb;
  v_qty numeric;
  v_on_hand numeric;
begin
  select * into v_found from private.import_find_item(
    private.import_cell(p_cells, p_import.mapping, 'sku'),
    private.import_cell(p_cells, p_import.mapping, 'barcode'),
    private.import_cell(p_cells, p_import.mapping, 'name'));
  v_item := v_found.item;
  v_err := coalesce(v_found.error, '[]'::jsonb);
  if v_item.id is not null and not v_item.active then
    v_err := v_err || private.import_error('sku', 'item_inactive', jsonb_build_object('value', v_item.sku));
  end if;
  -- A blank count is an item not counted; no count column at all is a mapping to fix.
  if p_import.kind = 'stocktake' and v_qty_text is null and p_import.mapping ? 'qty' then
    if jsonb_array_length(v_err) > 0 then
      return query select 'error'::text, v_err, null::jsonb, null::jsonb, v_item.id;
    else
      return query select 'unchanged'::text, '[]'::jsonb, null::jsonb, jsonb_build_object('counted', false), v_item.id;
    end if;
    return;
  end if;
  v_err := v_err || private.import_number_errors(v_qty_text, 'qty', private.import_unit_scale(coalesce(v_item.unit, 'KG')),
    p_import.kind = 'stocktake', 1000000000.001);
  if jsonb_array_length(v_err) > 0 then
    return query select 'error'::text, v_err, null::jsonb, null::jsonb, v_item.id;
    return;
  end if;
  v_qty := private.import_number(v_qty_text);
  if p_import.kind <> 'stocktake' then
    return query select 'new'::text, '[]'::jsonb, null::jsonb, jsonb_build_object('qty', v_qty), v_item.id;
    return;
  end if;
  select coalesce((select s.on_hand from public.stocks s where s.item_id = v_item.id and s.location_id = p_import.location_id), 0)
    into v_on_hand;
  return query select
    case when v_qty = v_on_hand then 'unchanged' else 'changed' end,
    '[]'::jsonb,
    case when v_qty = v_on_hand then null else jsonb_build_object('on_hand', jsonb_build_object('from', v_on_hand, 'to', v_qty)) end,
    jsonb_build_object('counted', true, 'qty', v_qty, 'on_hand', v_on_hand, 'delta', v_qty - v_on_hand),
    v_item.id;
end;
$$;
