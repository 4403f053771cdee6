-- Imports (issue 13): staff upload a spreadsheet of items, a supplier's packing list (a draft
-- inbound), shipment lines (a draft outbound) or a filled-in count sheet (a draft adjustment).
-- The file is parsed and mapped in Node; its cells are stored here, row by row; SQL validates
-- every row with the same rules as single writes, and apply is one call: one transaction, all or
-- nothing, idempotent.
--
-- Access intent
--   imports, import_rows: the user who started an import reads it (staff only); nobody writes
--     directly. import_begin and import_rows_add record what the app parsed from a file it has
--     checked, so they are service_role only (the app passes the actor). import_set_mapping,
--     import_validate, import_apply, import_get and import_rows_list are on the authenticated
--     surface: they check the role for the kind and that the import is the caller's own, and
--     validate every cell themselves, so calling them directly can do nothing the UI could not.
--   Items imports: admin, manager, korean_team. Inbound, outbound and stocktake imports (drafts
--     only): every staff role. Customers: nothing.
--   import_mappings: a user's remembered column mapping per kind, written by import_set_mapping.
--   audit_log.import_id: every audit row written while an import is applied points at it.

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------

create table public.imports (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  status text not null default 'parsing',
  created_by uuid not null references public.profiles (id) on delete cascade,
  location_id uuid references public.locations (id) on delete restrict,
  customer_id uuid references public.customers (id) on delete restrict,
  file_name text not null,
  file_size bigint not null,
  sheet_name text,
  header_row int not null default 1,
  headers jsonb not null default '[]'::jsonb,
  mapping jsonb not null default '{}'::jsonb,
  expected_rows int not null default 0,
  total_rows int not null default 0,
  validated_rows int not null default 0,
  new_rows int not null default 0,
  changed_rows int not null default 0,
  unchanged_rows int not null default 0,
  error_rows int not null default 0,
  -- The newest audit row when the rows were last checked: while it is still the newest, nothing
  -- the checks read has changed since (every write to items, engines, customers, locations and
  -- flows is audited), and apply need not check again.
  checked_at_audit bigint,
  result jsonb,
  flow_id uuid references public.flows (id) on delete set null,
  applied_by uuid references public.profiles (id) on delete set null,
  applied_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint imports_kind_valid check (kind in ('items', 'inbound', 'outbound', 'stocktake')),
  constraint imports_status_valid check (status in ('parsing', 'validating', 'ready', 'invalid', 'applied')),
  constraint imports_file_name_length check (char_length(file_name) between 1 and 255),
  constraint imports_rows_limit check (total_rows between 0 and 50000 and expected_rows between 0 and 50000),
  constraint imports_targets check (
    case kind
      when 'items' then location_id is null and customer_id is null
      when 'inbound' then location_id is not null
      when 'outbound' then location_id is not null and customer_id is not null
      when 'stocktake' then location_id is not null and customer_id is null
    end)
);
create index imports_created_by_idx on public.imports (created_by, created_at desc);
create index imports_location_idx on public.imports (location_id);
create index imports_customer_idx on public.imports (customer_id);
create index imports_flow_idx on public.imports (flow_id);
create trigger imports_touch before update on public.imports for each row execute function private.touch_updated_at();
create trigger imports_audit after insert or update or delete on public.imports for each row execute function private.audit_row();

alter table public.imports enable row level security;
revoke all on public.imports from anon, authenticated;
grant select on public.imports to authenticated;
grant all on public.imports to service_role;
create policy "staff read their own imports" on public.imports for select to authenticated
  using (created_by = (select auth.uid()) and (select private.is_staff()));

-- One row of the sheet: its cells as text (row_no is the sheet's own row number), and what
-- validation found. Not audited: the import's own record and the changes it makes are.
create table public.import_rows (
  import_id uuid not null references public.imports (id) on delete cascade,
  row_no int not null,
  cells jsonb not null,
  status text not null default 'pending',
  errors jsonb not null default '[]'::jsonb,
  changes jsonb,
  resolved jsonb,
  item_id uuid,
  primary key (import_id, row_no),
  constraint import_rows_status_valid check (status in ('pending', 'new', 'changed', 'unchanged', 'error'))
);
create index import_rows_status_idx on public.import_rows (import_id, status, row_no);
create index import_rows_item_idx on public.import_rows (import_id, item_id);

alter table public.import_rows enable row level security;
revoke all on public.import_rows from anon, authenticated;
grant select on public.import_rows to authenticated;
grant all on public.import_rows to service_role;
create policy "staff read the rows of their own imports" on public.import_rows for select to authenticated
  using (import_id in (select i.id from public.imports i where i.created_by = (select auth.uid())));

create table public.import_mappings (
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null,
  mapping jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);
alter table public.import_mappings enable row level security;
revoke all on public.import_mappings from anon, authenticated;
grant select on public.import_mappings to authenticated;
grant all on public.import_mappings to service_role;
create policy "users read their own mappings" on public.import_mappings for select to authenticated
  using (user_id = (select auth.uid()));

-- Audit rows written while an import applies point at it (duly.import_id, set by import_apply).
alter table public.audit_log add column import_id uuid;
create index audit_log_import_idx on public.audit_log (import_id) where import_id is not null;

create or replace function private.audit_import_link()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.import_id := coalesce(new.import_id, nullif(current_setting('duly.import_id', true), '')::uuid);
  return new;
end;
$$;
revoke all on function private.audit_import_link() from public;
create trigger audit_log_import_link before insert on public.audit_log for each row execute function private.audit_import_link();

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

-- The roles that may run imports of a kind.
create or replace function private.import_roles(p_kind text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case p_kind
    when 'items' then array['admin', 'manager', 'korean_team']
    when 'inbound' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'outbound' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'stocktake' then array['admin', 'manager', 'korean_team', 'chinese_staff']
  end
$$;

-- The fields a kind's columns may map to.
create or replace function private.import_fields(p_kind text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case p_kind
    when 'items' then array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_code', 'reorder_point', 'unit_cost',
                            'barcode', 'customer_code', 'active']
    else array['sku', 'barcode', 'name', 'qty']
  end
$$;

-- The caller's own import of a kind they may import, locked when asked; anything else is not_found.
create or replace function private.own_import(p_id uuid, p_actor uuid, p_lock boolean)
returns public.imports
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v public.imports;
begin
  if p_lock then
    select * into v from public.imports where id = p_id and created_by = v_actor for update;
  else
    select * into v from public.imports where id = p_id and created_by = v_actor;
  end if;
  if not found then
    perform private.fail('not_found', 'Import not found');
  end if;
  if not (private.actor_role(p_actor) = any (private.import_roles(v.kind))) then
    perform private.fail('forbidden', 'You are not allowed to do this');
  end if;
  return v;
end;
$$;

-- A cell by mapped field: trimmed text, null when blank or not mapped.
create or replace function private.import_cell(p_cells jsonb, p_mapping jsonb, p_field text)
returns text
language sql
immutable
set search_path = ''
as $$
  select nullif(trim(p_cells ->> ((p_mapping ->> p_field)::int)), '')
$$;

-- A number as people type it: thousands separators and surrounding spaces allowed; null if it is not one.
create or replace function private.import_number(p text)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when v ~ '^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$' then replace(v, ',', '')::numeric
              when v ~ '^[+-]?\.[0-9]+$' then v::numeric end
  from (select replace(trim(p), ' ', '') as v) x
$$;

-- Decimals a quantity may have in a unit (counted units are whole).
create or replace function private.import_unit_scale(p_unit text)
returns int
language sql
immutable
set search_path = ''
as $$
  select case when p_unit in ('KG', 'M') then 3 else 0 end
$$;

create or replace function private.import_error(p_field text, p_code text, p_params jsonb default null)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('field', p_field, 'code', p_code, 'params', p_params)))
$$;

-- A number cell's problems (empty when it is fine): required, a number, not negative, zero only
-- where allowed, below p_max, and at most p_scale decimals (a quantity: what its unit allows).
create or replace function private.import_number_errors(p_text text, p_field text, p_scale int, p_allow_zero boolean, p_max numeric)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v numeric := private.import_number(p_text);
begin
  if p_text is null then return private.import_error(p_field, 'required'); end if;
  if v is null then return private.import_error(p_field, 'not_a_number', jsonb_build_object('value', p_text)); end if;
  if v < 0 then return private.import_error(p_field, 'negative'); end if;
  if v = 0 and not p_allow_zero then return private.import_error(p_field, 'zero'); end if;
  if v >= p_max then return private.import_error(p_field, 'too_large'); end if;
  if scale(trim_scale(v)) > p_scale then
    return private.import_error(p_field, 'too_many_decimals', jsonb_build_object('max', p_scale));
  end if;
  return '[]'::jsonb;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Checking one row
-- ---------------------------------------------------------------------------------------------

-- An items row: new (unknown SKU), changed (with the field-level changes), unchanged, or error.
-- Blank cells leave an existing item's value alone; a new item gets the usual defaults.
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
    v_num_err := private.import_number_errors(v_reorder, 'reorder_point', 3, true, 100000000000);
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

-- The item a line names: by SKU, else barcode, else an exact Korean, Chinese or English name.
create or replace function private.import_find_item(p_sku text, p_barcode text, p_name text)
returns table (item public.items, error jsonb)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v public.items;
  v_count int;
begin
  if p_sku is not null then
    select * into v from public.items i where upper(i.sku) = upper(p_sku);
    if found then return query select v, null::jsonb; return; end if;
  end if;
  if p_barcode is not null then
    select * into v from public.items i where i.barcode = p_barcode;
    if found then return query select v, null::jsonb; return; end if;
  end if;
  if p_name is not null then
    select count(*) into v_count from public.items i where p_name in (i.name_ko, i.name_zh, i.name_en);
    if v_count = 1 then
      select * into v from public.items i where p_name in (i.name_ko, i.name_zh, i.name_en);
      return query select v, null::jsonb;
      return;
    end if;
    if v_count > 1 then
      return query select null::public.items, private.import_error('name', 'item_ambiguous', jsonb_build_object('value', p_name));
      return;
    end if;
  end if;
  if p_sku is null and p_barcode is null and p_name is null then
    return query select null::public.items, private.import_error('sku', 'required');
    return;
  end if;
  return query select null::public.items, private.import_error(
    case when p_sku is not null then 'sku' when p_barcode is not null then 'barcode' else 'name' end,
    'item_not_found', jsonb_build_object('value', coalesce(p_sku, p_barcode, p_name)));
end;
$$;

-- A line of an inbound, outbound or stocktake. Inbound and outbound lines are new; a stocktake
-- row is changed (counted differs from the stock at the warehouse now), unchanged (equal, or not
-- counted: left alone, never set to zero) or error.
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
    p_import.kind = 'stocktake', 100000000000);
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

-- Checks every pending row of an import (at most p_limit of them, in sheet order).
create or replace function private.import_check_rows(p_import public.imports, p_limit int)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row record;
  v_check record;
  v_done int := 0;
begin
  for v_row in
    select r.row_no, r.cells from public.import_rows r
    where r.import_id = p_import.id and r.status = 'pending'
    order by r.row_no limit p_limit
  loop
    if p_import.kind = 'items' then
      select * into v_check from private.import_check_item_row(v_row.cells, p_import.mapping);
    else
      select * into v_check from private.import_check_line_row(p_import, v_row.cells);
    end if;
    update public.import_rows r
    set status = v_check.status, errors = v_check.errors, changes = v_check.changes, resolved = v_check.resolved, item_id = v_check.item_id
    where r.import_id = p_import.id and r.row_no = v_row.row_no;
    v_done := v_done + 1;
  end loop;
  return v_done;
end;
$$;

-- Once every row is checked: keys that occur twice in the file are errors on each of their
-- rows, then the counts and the status (ready, or invalid while any row has an error).
create or replace function private.import_finish(p_import public.imports)
returns public.imports
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports;
begin
  if p_import.kind = 'items' then
    update public.import_rows r
    set status = 'error', errors = r.errors || private.import_error('sku', 'duplicate_key', jsonb_build_object('rows', d.rows))
    from (select upper(private.import_cell(x.cells, p_import.mapping, 'sku')) as k, jsonb_agg(x.row_no order by x.row_no) as rows
          from public.import_rows x where x.import_id = p_import.id and private.import_cell(x.cells, p_import.mapping, 'sku') is not null
          group by 1 having count(*) > 1) d
    where r.import_id = p_import.id and upper(private.import_cell(r.cells, p_import.mapping, 'sku')) = d.k;
    update public.import_rows r
    set status = 'error', errors = r.errors || private.import_error('barcode', 'duplicate_key', jsonb_build_object('rows', d.rows))
    from (select private.import_cell(x.cells, p_import.mapping, 'barcode') as k, jsonb_agg(x.row_no order by x.row_no) as rows
          from public.import_rows x where x.import_id = p_import.id and private.import_cell(x.cells, p_import.mapping, 'barcode') is not null
          group by 1 having count(*) > 1) d
    where r.import_id = p_import.id and private.import_cell(r.cells, p_import.mapping, 'barcode') = d.k;
  else
    update public.import_rows r
    set status = 'error', errors = r.errors || private.import_error('sku', 'duplicate_key', jsonb_build_object('rows', d.rows))
    from (select x.item_id, jsonb_agg(x.row_no order by x.row_no) as rows
          from public.import_rows x where x.import_id = p_import.id and x.item_id is not null
          group by 1 having count(*) > 1) d
    where r.import_id = p_import.id and r.item_id = d.item_id;
    -- A flow holds at most 500 lines (flow_create's rule), said on the rows past the 500th.
    update public.import_rows r
    set status = 'error', errors = r.errors || private.import_error('qty', 'too_many_lines', jsonb_build_object('max', 500))
    from (select x.row_no, row_number() over (order by x.row_no) as n
          from public.import_rows x where x.import_id = p_import.id and x.status in ('new', 'changed')) d
    where r.import_id = p_import.id and r.row_no = d.row_no and d.n > 500;
  end if;

  update public.imports i
  set validated_rows = c.total,
      new_rows = c.n, changed_rows = c.ch, unchanged_rows = c.u, error_rows = c.e,
      status = case when c.e > 0 or c.total = 0 then 'invalid' else 'ready' end
  from (select count(*)::int as total,
               count(*) filter (where r.status = 'new')::int as n,
               count(*) filter (where r.status = 'changed')::int as ch,
               count(*) filter (where r.status = 'unchanged')::int as u,
               count(*) filter (where r.status = 'error')::int as e
        from public.import_rows r where r.import_id = p_import.id) c
  where i.id = p_import.id
  returning i.* into v;
  update public.imports i set checked_at_audit = (select max(a.id) from public.audit_log a where a.table_name <> 'imports')
  where i.id = p_import.id
  returning i.* into v;
  return v;
end;
$$;

create or replace function private.import_json(p public.imports)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    -- Reading the file and checking its rows are one step to a client: validating.
    'id', p.id, 'kind', p.kind, 'status', case when p.status = 'parsing' then 'validating' else p.status end,
    -- Reading the file is the first half of the work, checking its rows the second.
    'progress', case when p.status in ('ready', 'invalid', 'applied') then 1
                     when greatest(p.expected_rows, p.total_rows) = 0 then 0
                     else round(least((p.total_rows + p.validated_rows)::numeric / (2 * greatest(p.expected_rows, p.total_rows)), 0.999), 3) end,
    'file_name', p.file_name, 'file_size', p.file_size, 'sheet_name', p.sheet_name, 'header_row', p.header_row,
    'headers', p.headers, 'mapping', p.mapping,
    'location', (select jsonb_build_object('id', l.id, 'code', l.code, 'name', l.name) from public.locations l where l.id = p.location_id),
    'customer', (select jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) from public.customers c where c.id = p.customer_id),
    'rows', jsonb_build_object('total', p.total_rows, 'new', p.new_rows, 'changed', p.changed_rows,
                               'unchanged', p.unchanged_rows, 'error', p.error_rows),
    'result', p.result, 'flow_id', p.flow_id,
    'created_by', p.created_by, 'created_at', p.created_at, 'applied_by', p.applied_by, 'applied_at', p.applied_at)
$$;

-- A mapping as sent by a client: only the kind's fields, each to a column that exists.
create or replace function private.import_clean_mapping(p_kind text, p_mapping jsonb, p_columns int)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_out jsonb := '{}'::jsonb;
begin
  if p_mapping is null or jsonb_typeof(p_mapping) <> 'object' then
    perform private.fail_field('mapping', 'The mapping must be an object of field: column');
  end if;
  for v_key, v_value in select * from jsonb_each(p_mapping) loop
    if not (v_key = any (private.import_fields(p_kind))) then
      perform private.fail_field('mapping', format('Unknown field %s', v_key));
    end if;
    if jsonb_typeof(v_value) = 'null' then continue; end if;
    if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}') !~ '^[0-9]+$' or (v_value #>> '{}')::int >= greatest(p_columns, 1) then
      perform private.fail_field('mapping', format('Column of %s is not in the sheet', v_key));
    end if;
    v_out := v_out || jsonb_build_object(v_key, (v_value #>> '{}')::int);
  end loop;
  return v_out;
end;
$$;

revoke all on function
  private.import_roles(text), private.import_fields(text), private.own_import(uuid, uuid, boolean),
  private.import_cell(jsonb, jsonb, text), private.import_number(text), private.import_unit_scale(text),
  private.import_error(text, text, jsonb), private.import_number_errors(text, text, int, boolean, numeric),
  private.import_check_item_row(jsonb, jsonb), private.import_find_item(text, text, text),
  private.import_check_line_row(public.imports, jsonb), private.import_check_rows(public.imports, int),
  private.import_finish(public.imports), private.import_json(public.imports), private.import_clean_mapping(text, jsonb, int)
from public;

-- ---------------------------------------------------------------------------------------------
-- Recording a parsed file (service_role only: it trusts what the app read from the file)
-- ---------------------------------------------------------------------------------------------

create or replace function public.import_begin(
  p_kind text,
  p_file_name text,
  p_file_size bigint,
  p_sheet_name text,
  p_header_row int,
  p_headers jsonb,
  p_mapping jsonb,
  p_expected_rows int,
  p_location_id uuid default null,
  p_customer_id uuid default null,
  p_id uuid default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid;
  v public.imports;
begin
  if p_kind is null or p_kind not in ('items', 'inbound', 'outbound', 'stocktake') then
    perform private.fail_field('kind', 'Unknown import kind');
  end if;
  v_actor := private.begin_action(p_actor, variadic private.import_roles(p_kind));
  if p_kind in ('inbound', 'outbound', 'stocktake') and (p_location_id is null
      or not exists (select 1 from public.locations l where l.id = p_location_id and l.active)) then
    perform private.fail_field('location_id', 'Choose an active warehouse');
  end if;
  if p_expected_rows is null or p_expected_rows not between 0 and 50000 then
    perform private.fail('validation_failed', 'A file may have at most 50,000 rows', jsonb_build_object('max', 50000));
  end if;
  if p_kind = 'outbound' and (p_customer_id is null or not exists (select 1 from public.customers c where c.id = p_customer_id and c.active)) then
    perform private.fail_field('customer_id', 'Choose an active customer');
  end if;
  -- The client may choose the id, to follow the progress while its upload is being read.
  insert into public.imports (id, kind, created_by, location_id, customer_id, file_name, file_size, sheet_name, header_row, headers, mapping, expected_rows)
  values (coalesce(p_id, gen_random_uuid()), p_kind, v_actor,
    case when p_kind <> 'items' then p_location_id end,
    case when p_kind = 'outbound' then p_customer_id end,
    left(coalesce(nullif(trim(p_file_name), ''), 'import'), 255), coalesce(p_file_size, 0), left(p_sheet_name, 200),
    coalesce(p_header_row, 1), coalesce(p_headers, '[]'::jsonb),
    private.import_clean_mapping(p_kind, coalesce(p_mapping, '{}'::jsonb), jsonb_array_length(coalesce(p_headers, '[]'::jsonb))),
    p_expected_rows)
  returning * into v;
  return private.import_json(v);
end;
$$;

-- Adds parsed rows [{row_no, cells: [text, ...]}] to an import still being parsed (batches of a
-- few thousand); p_last marks the end of the file and starts validation.
create or replace function public.import_rows_add(p_id uuid, p_rows jsonb, p_last boolean default false, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports := private.own_import(p_id, p_actor, true);
  v_count int;
begin
  if v.status <> 'parsing' then
    perform private.fail('invalid_state', 'This import is no longer being read');
  end if;
  insert into public.import_rows (import_id, row_no, cells)
  select v.id, (x ->> 'row_no')::int, x -> 'cells'
  from jsonb_array_elements(coalesce(p_rows, '[]'::jsonb)) x;
  get diagnostics v_count = row_count;
  if v.total_rows + v_count > 50000 then
    perform private.fail('validation_failed', 'A file may have at most 50,000 rows', jsonb_build_object('max', 50000));
  end if;
  update public.imports i
  set total_rows = i.total_rows + v_count, status = case when p_last then 'validating' else 'parsing' end
  where i.id = v.id returning i.* into v;
  return private.import_json(v);
end;
$$;

revoke all on function
  public.import_begin(text, text, bigint, text, int, jsonb, jsonb, int, uuid, uuid, uuid, uuid),
  public.import_rows_add(uuid, jsonb, boolean, uuid)
from public, anon, authenticated;
grant execute on function
  public.import_begin(text, text, bigint, text, int, jsonb, jsonb, int, uuid, uuid, uuid, uuid),
  public.import_rows_add(uuid, jsonb, boolean, uuid)
to service_role;

-- ---------------------------------------------------------------------------------------------
-- The caller's own imports (authenticated): read, map, validate, apply
-- ---------------------------------------------------------------------------------------------

create or replace function public.import_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.import_json(private.own_import(p_id, p_actor, false));
end;
$$;

-- A page of rows (by status, or all) with their cells, messages and changes, in sheet order.
create or replace function public.import_rows_list(
  p_id uuid, p_status text default null, p_after int default 0, p_limit int default 100, p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports := private.own_import(p_id, p_actor, false);
begin
  if p_status is not null and p_status not in ('pending', 'new', 'changed', 'unchanged', 'error') then
    perform private.fail_field('status', 'Unknown row status');
  end if;
  return jsonb_build_object('data', coalesce((
    select jsonb_agg(jsonb_build_object('row_no', r.row_no, 'status', r.status, 'cells', r.cells, 'errors', r.errors,
                                        'changes', r.changes, 'item_id', r.item_id) order by r.row_no)
    from (select * from public.import_rows r
          where r.import_id = v.id and (p_status is null or r.status = p_status) and r.row_no > coalesce(p_after, 0)
          order by r.row_no limit least(greatest(coalesce(p_limit, 100), 1), 5000)) r), '[]'::jsonb),
    'count', (select count(*) from public.import_rows r where r.import_id = v.id and (p_status is null or r.status = p_status)));
end;
$$;

-- A new mapping: remembered for the caller and the kind (by header text), and every row checked again.
create or replace function public.import_set_mapping(p_id uuid, p_mapping jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports := private.own_import(p_id, p_actor, true);
  v_mapping jsonb := private.import_clean_mapping(v.kind, p_mapping, jsonb_array_length(v.headers));
begin
  if v.status = 'applied' then
    perform private.fail('invalid_state', 'This import has already been applied');
  end if;
  if v.status = 'parsing' then
    perform private.fail('invalid_state', 'This import is still being read');
  end if;
  update public.imports i set mapping = v_mapping, status = 'validating', validated_rows = 0
  where i.id = v.id returning i.* into v;
  update public.import_rows r set status = 'pending', errors = '[]'::jsonb, changes = null, resolved = null, item_id = null
  where r.import_id = v.id;
  insert into public.import_mappings as m (user_id, kind, mapping, updated_at)
  select v.created_by, v.kind, coalesce(jsonb_object_agg(e.key, v.headers ->> (e.value #>> '{}')::int), '{}'::jsonb), now()
  from jsonb_each(v_mapping) e
  on conflict (user_id, kind) do update set mapping = excluded.mapping, updated_at = now();
  return private.import_json(v);
end;
$$;

-- Checks the next p_limit rows (progress is visible between calls); after the last, the
-- cross-row checks, the counts and the status.
create or replace function public.import_validate(p_id uuid, p_limit int default 2000, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports := private.own_import(p_id, p_actor, true);
  v_done int;
begin
  if v.status <> 'validating' then
    return private.import_json(v);
  end if;
  v_done := private.import_check_rows(v, least(greatest(coalesce(p_limit, 2000), 1), 10000));
  if exists (select 1 from public.import_rows r where r.import_id = v.id and r.status = 'pending') then
    update public.imports i set validated_rows = i.validated_rows + v_done where i.id = v.id returning i.* into v;
  else
    v := private.import_finish(v);
  end if;
  return private.import_json(v);
end;
$$;

-- Everything or nothing: every row is checked again as the caller, now, in this transaction;
-- any error refuses the whole import (409 import_invalid, nothing written). Applied once: a second
-- call answers the first result.
create or replace function public.import_apply(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.imports := private.own_import(p_id, p_actor, true);
  v_actor uuid := private.actor(p_actor);
  v_flow jsonb;
  v_lines jsonb;
  v_result jsonb;
  v_created int := 0;
  v_updated int := 0;
begin
  if v.status = 'applied' then
    return v.result;
  end if;
  if v.status in ('parsing', 'validating') then
    perform private.fail('invalid_state', 'This import is still being checked');
  end if;
  if v.checked_at_audit is distinct from (select max(a.id) from public.audit_log a where a.table_name <> 'imports') then
    update public.import_rows r set status = 'pending', errors = '[]'::jsonb, changes = null, resolved = null, item_id = null
    where r.import_id = v.id;
    perform private.import_check_rows(v, 50000);
    v := private.import_finish(v);
  end if;
  if v.status <> 'ready' then
    perform private.fail('import_invalid', 'Some rows have errors; fix them and upload the file again',
      jsonb_build_object('rows', jsonb_build_object('total', v.total_rows, 'error', v.error_rows)));
  end if;

  perform set_config('duly.import_id', v.id::text, true);
  perform set_config('duly.actor', v_actor::text, true);

  if v.kind = 'items' then
    -- Ids first, so each row knows its item without matching SKUs back.
    update public.import_rows r set item_id = gen_random_uuid() where r.import_id = v.id and r.status = 'new';
    insert into public.items (id, sku, name_ko, name_zh, name_en, unit, engine_id, reorder_point, unit_cost, customer_id, barcode, active)
    select r.item_id, x.sku, x.name_ko, x.name_zh, x.name_en, x.unit, x.engine_id, x.reorder_point, x.unit_cost, x.customer_id, x.barcode, x.active
    from public.import_rows r, jsonb_populate_record(null::public.items, r.resolved) x
    where r.import_id = v.id and r.status = 'new'
    order by r.row_no;
    get diagnostics v_created = row_count;
    insert into public.item_stock_totals (item_id, on_hand)
    select r.item_id, 0 from public.import_rows r where r.import_id = v.id and r.status = 'new';

    update public.items i
    set name_ko = x.name_ko, name_zh = x.name_zh, name_en = x.name_en, unit = x.unit, engine_id = x.engine_id,
        reorder_point = x.reorder_point, unit_cost = x.unit_cost, customer_id = x.customer_id, barcode = x.barcode, active = x.active
    from public.import_rows r, jsonb_populate_record(null::public.items, r.resolved) x
    where r.import_id = v.id and r.status = 'changed' and i.id = r.item_id;
    get diagnostics v_updated = row_count;
  else
    select coalesce(jsonb_agg(jsonb_build_object('item_id', r.item_id,
             'qty', case when v.kind = 'stocktake' then (r.resolved ->> 'delta')::numeric else (r.resolved ->> 'qty')::numeric end)
             order by r.row_no), '[]'::jsonb)
      into v_lines
    from public.import_rows r
    where r.import_id = v.id and r.status in ('new', 'changed');
    -- A count that matches the stock everywhere changes nothing: no empty draft.
    if jsonb_array_length(v_lines) > 0 then
      v_flow := public.flow_create(
        case v.kind when 'stocktake' then 'adjustment' else v.kind end,
        v_lines,
        case when v.kind = 'outbound' then v.location_id end,
        case when v.kind <> 'outbound' then v.location_id end,
        v.customer_id,
        null,
        left(v.file_name, 200),
        null,
        p_actor);
      v_created := jsonb_array_length(v_lines);
    end if;
  end if;

  v_result := jsonb_build_object(
    'id', v.id, 'kind', v.kind, 'status', 'applied',
    'rows', jsonb_build_object('total', v.total_rows, 'new', v.new_rows, 'changed', v.changed_rows,
                               'unchanged', v.unchanged_rows, 'error', 0),
    'created', v_created, 'updated', v_updated,
    'flow', case when v_flow is null then null else jsonb_build_object('id', v_flow ->> 'id', 'number', v_flow ->> 'number', 'kind', v_flow ->> 'kind') end);
  update public.imports i
  set status = 'applied', result = v_result, flow_id = (v_flow ->> 'id')::uuid, applied_by = v_actor, applied_at = now()
  where i.id = v.id;
  return v_result;
end;
$$;

-- A count sheet: every active item with its stock at the warehouse now, by SKU, in pages.
create or replace function public.import_count_sheet(p_location_id uuid, p_after_sku text default null, p_limit int default 2000, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if not exists (select 1 from public.locations l where l.id = p_location_id) then
    perform private.fail('not_found', 'Location not found');
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en,
                                        'unit', x.unit, 'on_hand', x.on_hand) order by x.sku)
    from (select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, coalesce(s.on_hand, 0) as on_hand
          from public.items i left join public.stocks s on s.item_id = i.id and s.location_id = p_location_id
          where i.active and (p_after_sku is null or i.sku > p_after_sku)
          order by i.sku limit least(greatest(coalesce(p_limit, 2000), 1), 5000)) x), '[]'::jsonb);
end;
$$;

revoke all on function
  public.import_get(uuid, uuid), public.import_rows_list(uuid, text, int, int, uuid), public.import_set_mapping(uuid, jsonb, uuid),
  public.import_validate(uuid, int, uuid), public.import_apply(uuid, uuid), public.import_count_sheet(uuid, text, int, uuid)
from public, anon;
grant execute on function
  public.import_get(uuid, uuid), public.import_rows_list(uuid, text, int, int, uuid), public.import_set_mapping(uuid, jsonb, uuid),
  public.import_validate(uuid, int, uuid), public.import_apply(uuid, uuid), public.import_count_sheet(uuid, text, int, uuid)
to authenticated, service_role;

-- The remembered mapping of the caller for a kind ({field: header text}).
create or replace function public.import_mapping_get(p_kind text, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
begin
  return coalesce((select m.mapping from public.import_mappings m where m.user_id = v_actor and m.kind = p_kind), '{}'::jsonb);
end;
$$;
revoke all on function public.import_mapping_get(text, uuid) from public, anon;
grant execute on function public.import_mapping_get(text, uuid) to authenticated, service_role;
