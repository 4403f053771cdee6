-- Exports (issue 13): every list read in keyset-ordered batches, for XLSX and CSV files of any size.
--
-- The list functions page with offset and a count, which costs more with every page: a million
-- ledger rows cannot be read that way. Each <list>_export takes the list's own filters and sort,
-- plus p_after (the last row of the previous batch, as returned) and p_limit, and returns
-- {rows, next}: up to p_limit flat rows in the list's order, and the row to pass as p_after for
-- the next batch (null after the last one). Every batch is a short call of its own, so an export
-- works the same through supabase-js rpc, Postgres and PGlite and never holds a transaction open.
--
-- Each function checks the caller exactly as its list does (the same roles, the same rights):
-- staff lists are security definer with the list's role check; what customers read (portal
-- stock, shipments, inspections, documents) runs as the caller (security invoker), so RLS and the
-- customers' column grants apply, and those functions name no cost, internal note or email column
-- a customer could not read anyway.

-- A batch size within bounds (the app asks for a few thousand).
create or replace function private.export_limit(p_limit int)
returns int
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 or p_limit > 10000 then
    perform private.fail('bad_request', 'limit must be between 1 and 10000');
  end if;
  return p_limit;
end;
$$;
revoke all on function private.export_limit(int) from public;
grant execute on function private.export_limit(int) to authenticated, service_role;

-- {rows, next} from a batch already in order. json, not jsonb: it costs a third as much to build
-- and to send, and a batch is only ever sent on.
create or replace function private.export_batch(p_rows json, p_limit int)
returns json
language sql
immutable
set search_path = ''
as $$
  select json_build_object(
    'rows', coalesce(p_rows, '[]'::json),
    'next', case when json_array_length(coalesce(p_rows, '[]'::json)) = p_limit then p_rows -> -1 end)
$$;
revoke all on function private.export_batch(json, int) from public;
grant execute on function private.export_batch(json, int) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- items (staff): the list's filters and its twelve sorts, each with the SKU as tie-breaker
-- ---------------------------------------------------------------------------------------------

create or replace function public.items_export(
  p_q text default null,
  p_engine_id uuid default null,
  p_active boolean default null,
  p_customer_id uuid default null,
  p_sort text default 'sku',
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_desc boolean := left(coalesce(p_sort, 'sku'), 1) = '-';
  v_sort text := ltrim(coalesce(p_sort, 'sku'), '-');
  v_key text;
  v_field text;
  v_type text;
  v_where text := 'true';
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select k, f, t into v_key, v_field, v_type from (values
    ('sku', 'i.sku', 'sku', 'text'),
    ('name', 'i.name_ko', 'name_ko', 'text'),
    ('unit_cost', 'i.unit_cost', 'unit_cost', 'numeric'),
    ('on_hand', 'coalesce(t.on_hand, 0)', 'on_hand', 'numeric'),
    ('created_at', 'i.created_at', 'created_at', 'timestamptz'),
    ('updated_at', 'i.updated_at', 'updated_at', 'timestamptz')) s(name, k, f, t)
  where s.name = v_sort;
  if v_key is null then
    perform private.fail('bad_request', 'Unknown sort', jsonb_build_object('sort', p_sort));
  end if;
  if nullif(trim(p_q), '') is not null then
    v_where := v_where || ' and (i.sku ilike $1 or i.name_ko ilike $1 or i.name_zh ilike $1 or i.name_en ilike $1 or i.barcode = $5)';
  end if;
  if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $2'; end if;
  if p_active is not null then v_where := v_where || ' and i.active = $3'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $4'; end if;
  if p_after is not null then
    v_where := v_where || format(' and (%1$s %2$s ($6 ->> %3$L)::%4$s or (%1$s = ($6 ->> %3$L)::%4$s and i.sku > ($6 ->> ''sku'')))',
      v_key, case when v_desc then '<' else '>' end, v_field, v_type);
  end if;
  execute format(
    'select json_agg(json_build_object(
        ''id'', i.id, ''sku'', i.sku, ''name_ko'', i.name_ko, ''name_zh'', i.name_zh, ''name_en'', i.name_en, ''unit'', i.unit,
        ''engine_code'', e.code, ''barcode'', i.barcode, ''reorder_point'', i.reorder_point, ''unit_cost'', i.unit_cost,
        ''on_hand'', coalesce(t.on_hand, 0), ''customer_name'', c.name, ''active'', i.active,
        ''created_at'', i.created_at, ''updated_at'', i.updated_at) order by x.ord)
     from (select i.id, row_number() over (order by %2$s %3$s, i.sku) as ord
           from public.items i left join public.item_stock_totals t on t.item_id = i.id
           where %1$s order by %2$s %3$s, i.sku limit %4$s) x
     join public.items i on i.id = x.id
     left join public.item_stock_totals t on t.item_id = i.id
     left join public.engines e on e.id = i.engine_id
     left join public.customers c on c.id = i.customer_id',
    v_where, v_key, case when v_desc then 'desc' else 'asc' end, v_limit)
  into v_rows using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q), p_after;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- stocks (staff): per item and location by SKU and location code; low=true: items below their
-- reorder point by shortage, one row per item
-- ---------------------------------------------------------------------------------------------

create or replace function public.stocks_export(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_engine_id uuid default null,
  p_low boolean default false,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if coalesce(p_low, false) then
    select json_agg(json_build_object(
        'sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en, 'unit', x.unit,
        'location_code', null, 'location_name', null, 'on_hand', x.on_hand, 'item_on_hand', x.on_hand,
        'reorder_point', x.reorder_point, 'shortage', x.shortage, 'unit_cost', x.unit_cost, 'updated_at', x.updated_at)
      order by x.shortage desc, x.sku)
    into v_rows
    from (
      select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.reorder_point, i.unit_cost, t.on_hand, t.shortage, i.updated_at
      from public.item_stock_totals t join public.items i on i.id = t.item_id
      where t.shortage is not null
        and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
        and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
        and (p_after is null or t.shortage < (p_after ->> 'shortage')::numeric
             or (t.shortage = (p_after ->> 'shortage')::numeric and i.sku > (p_after ->> 'sku')))
      order by t.shortage desc, i.sku
      limit v_limit) x;
    return private.export_batch(v_rows, v_limit);
  end if;
  select json_agg(json_build_object(
      'sku', x.sku, 'name_ko', x.name_ko, 'name_zh', x.name_zh, 'name_en', x.name_en, 'unit', x.unit,
      'location_code', x.location_code, 'location_name', x.location_name, 'on_hand', x.on_hand,
      'item_on_hand', x.item_on_hand, 'reorder_point', x.reorder_point,
      'shortage', case when x.reorder_point > 0 and x.item_on_hand < x.reorder_point then x.reorder_point - x.item_on_hand end,
      'unit_cost', x.unit_cost, 'updated_at', x.updated_at)
    order by x.sku, x.location_code)
  into v_rows
  from (
    select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, l.code as location_code, l.name as location_name, s.on_hand,
           coalesce(t.on_hand, 0) as item_on_hand, i.reorder_point, i.unit_cost, s.updated_at
    from public.stocks s
    join public.items i on i.id = s.item_id
    join public.locations l on l.id = s.location_id
    left join public.item_stock_totals t on t.item_id = s.item_id
    where (p_item_id is null or s.item_id = p_item_id)
      and (p_location_id is null or s.location_id = p_location_id)
      and (p_engine_id is null or i.engine_id = p_engine_id)
      and (p_after is null or (i.sku, l.code) > (p_after ->> 'sku', p_after ->> 'location_code'))
    order by i.sku, l.code
    limit v_limit) x;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- ledger (staff): newest first by id, the list's filters
-- ---------------------------------------------------------------------------------------------

create or replace function public.ledger_export(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_before bigint := (p_after ->> 'id')::bigint;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  -- One row as json straight from the record: the cheapest way to a million objects.
  select json_agg(x order by x.id desc)
  into v_rows
  from (
    select m.id, m.created_at, f.number as flow_number, f.kind as flow_kind, i.sku, i.name_ko, l.code as location_code,
           m.delta, m.balance_after
    from (
      select m.id, m.flow_id, m.item_id, m.location_id, m.delta, m.balance_after, m.created_at
      from public.stock_movements m
      where (p_item_id is null or m.item_id = p_item_id)
        and (p_location_id is null or m.location_id = p_location_id)
        and (p_from is null or m.created_at >= p_from)
        and (p_to is null or m.created_at < p_to)
        and (v_before is null or m.id < v_before)
      order by m.id desc
      limit v_limit) m
    join public.flows f on f.id = m.flow_id
    join public.items i on i.id = m.item_id
    join public.locations l on l.id = m.location_id) x;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- flows (staff): one row per line with the flow's columns repeated (a flow without lines: one
-- row, line 0), newest flow first, lines in order
-- ---------------------------------------------------------------------------------------------

create or replace function public.flows_export(
  p_kind text default null,
  p_status text default null,
  p_q text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_customer_id uuid default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select json_agg(json_build_object(
      'number', x.number, 'kind', x.kind, 'status', x.status, 'created_at', x.created_at,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'to_location_code', (select l.code from public.locations l where l.id = x.to_location_id),
      'customer_name', (select c.name from public.customers c where c.id = x.customer_id),
      'partner', x.partner, 'reference', x.reference, 'note', x.note,
      'created_by_name', (select p.display_name from public.profiles p where p.id = x.created_by),
      'submitted_at', x.submitted_at, 'approved_at', x.approved_at, 'committed_at', x.committed_at, 'cancelled_at', x.cancelled_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.*, coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join public.flow_lines fl on fl.flow_id = f.id
    where (p_kind is null or f.kind = p_kind)
      and (p_status is null or f.status = p_status)
      and (p_customer_id is null or f.customer_id = p_customer_id)
      and (p_from is null or f.created_at >= p_from)
      and (p_to is null or f.created_at < p_to)
      and (not v_has_q or f.number ilike v_pattern or f.partner ilike v_pattern or f.reference ilike v_pattern)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- customers (staff) and users (admins)
-- ---------------------------------------------------------------------------------------------

create or replace function public.customers_export(
  p_q text default null,
  p_active boolean default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select json_agg(json_build_object(
      'code', c.code, 'name', c.name, 'business_number', c.business_number, 'contact_name', c.contact_name,
      'email', c.email, 'phone', c.phone, 'address', c.address, 'active', c.active,
      'user_count', (select count(*) from public.profiles p where p.customer_id = c.id and p.active),
      'open_inspections', (select count(*) from public.inspection_applications i
                           where i.customer_id = c.id and i.status not in ('completed', 'cancelled')),
      'created_at', c.created_at)
    order by c.name, c.code)
  into v_rows
  from (
    select * from public.customers c
    where (p_active is null or c.active = p_active)
      and (v_pattern is null or c.name ilike v_pattern or c.code ilike v_pattern or c.contact_name ilike v_pattern)
      and (p_after is null or (c.name, c.code) > (p_after ->> 'name', p_after ->> 'code'))
    order by c.name, c.code
    limit v_limit) c;
  return private.export_batch(v_rows, v_limit);
end;
$$;

create or replace function public.users_export(
  p_q text default null,
  p_role text default null,
  p_active boolean default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin');
  select json_agg(json_build_object(
      'id', p.id, 'email', p.email, 'display_name', p.display_name, 'role', p.role,
      'customer_name', (select c.name from public.customers c where c.id = p.customer_id),
      'locale', p.locale, 'active', p.active, 'created_at', p.created_at)
    order by lower(p.email), p.id)
  into v_rows
  from (
    select * from public.profiles p
    where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
      and (p_role is null or p.role = p_role)
      and (p_active is null or p.active = p_active)
      and (p_after is null or (lower(p.email), p.id) > (lower(p_after ->> 'email'), (p_after ->> 'id')::uuid))
    order by lower(p.email), p.id
    limit v_limit) p;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- audit log (admins): newest first, the changed keys instead of the whole before/after
-- ---------------------------------------------------------------------------------------------

create or replace function public.audit_export(
  p_actor_id uuid default null,
  p_table text default null,
  p_action text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_security_only boolean default false,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_id bigint := (p_after ->> 'id')::bigint;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin');
  if p_action is not null and p_action not in ('insert', 'update', 'delete') then
    perform private.fail_field('action', 'Choose insert, update or delete');
  end if;
  select json_agg(json_build_object(
      'id', a.id, 'created_at', a.created_at, 'actor_email', p.email, 'actor_name', p.display_name,
      'action', a.action, 'table_name', a.table_name, 'row_id', a.row_id, 'security_event', a.security_event,
      'changed', (
        select string_agg(k.key, ', ' order by k.key)
        from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
              union
              select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
        where a.before -> k.key is distinct from a.after -> k.key))
    order by a.created_at desc, a.id desc)
  into v_rows
  from (
    select * from public.audit_log l
    where (p_actor_id is null or l.actor_id = p_actor_id)
      and (p_table is null or l.table_name = p_table)
      and (p_action is null or l.action = p_action)
      and (p_from is null or l.created_at >= p_from)
      and (p_to is null or l.created_at < p_to)
      and (not coalesce(p_security_only, false) or l.security_event)
      and (p_after is null or (l.created_at, l.id) < (v_at, v_id))
    order by l.created_at desc, l.id desc
    limit v_limit) a
  left join public.profiles p on p.id = a.actor_id;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- inspections (staff all, customers their company's; the caller's rights): staff rows add the
-- internal notes, customer rows never have them
-- ---------------------------------------------------------------------------------------------

create or replace function public.inspections_export(
  p_status text default null,
  p_open boolean default null,
  p_customer_id uuid default null,
  p_inspector_id uuid default null,
  p_q text default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security invoker
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_staff boolean := private.is_staff_role(private.actor_role(p_actor));
  v_customer uuid := private.actor_customer_id(p_actor);
  v_limit int := private.export_limit(p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_rows jsonb;
begin
  if p_status is not null and p_status not in ('submitted', 'scheduled', 'in_progress', 'report_ready', 'completed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select jsonb_agg(jsonb_build_object(
      'number', x.number, 'status', x.status, 'inspection_type', x.inspection_type, 'customer_name', x.customer_name,
      'product', x.product, 'quantity', x.quantity, 'factory_name', x.factory_name, 'factory_address', x.factory_address,
      'requested_date', x.requested_date, 'scheduled_date', x.scheduled_date, 'result', x.result,
      'inspector_name', private.staff_display_name(x.inspector_id), 'notes', x.notes,
      'created_at', x.created_at, 'completed_at', x.completed_at, 'updated_at', x.updated_at)
      || case when v_staff then jsonb_build_object('internal_notes', private.inspection_internal_notes(x.id)) else '{}'::jsonb end
    order by x.created_at desc, x.number desc)
  into v_rows
  from (
    select i.id, i.number, i.status, i.inspection_type, c.name as customer_name, i.product, i.quantity, i.factory_name,
           i.factory_address, i.requested_date, i.scheduled_date, i.result, i.inspector_id, i.notes,
           i.created_at, i.completed_at, i.updated_at
    from public.inspection_applications i
    join public.customers c on c.id = i.customer_id
    where (v_staff or i.customer_id = v_customer)
      and (p_status is null or i.status = p_status)
      and (p_open is null or (i.status not in ('completed', 'cancelled')) = p_open)
      and (p_customer_id is null or i.customer_id = p_customer_id)
      and (p_inspector_id is null or i.inspector_id = p_inspector_id)
      and (v_pattern is null or i.number ilike v_pattern or i.product ilike v_pattern or i.factory_name ilike v_pattern
           or (v_staff and c.name ilike v_pattern))
      and (p_after is null or (i.created_at, i.number) < (v_at, v_number))
    order by i.created_at desc, i.number desc
    limit v_limit) x;
  return private.export_batch(v_rows::json, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The portal (customers only, the caller's rights): their stock, shipments and documents
-- ---------------------------------------------------------------------------------------------

create or replace function public.portal_stock_export(
  p_q text default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security invoker
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'customer');
  v_customer := private.actor_customer_id(p_actor);
  select json_agg(json_build_object(
      'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
      'on_hand', coalesce((select sum(s.on_hand) from public.stocks s where s.item_id = i.id), 0),
      'locations', (select string_agg(l.code || ' ' || trim_scale(s.on_hand)::text, ', ' order by l.code)
                    from public.stocks s join public.locations l on l.id = s.location_id
                    where s.item_id = i.id and s.on_hand <> 0))
    order by i.sku)
  into v_rows
  from (select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit from public.items i
        where i.customer_id = v_customer and i.active
          and (v_pattern is null or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_en ilike v_pattern or i.name_zh ilike v_pattern)
          and (p_after is null or i.sku > (p_after ->> 'sku'))
        order by i.sku limit v_limit) i;
  return private.export_batch(v_rows, v_limit);
end;
$$;

create or replace function public.portal_shipments_export(
  p_status text default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security invoker
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_customer uuid;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_number text := p_after ->> 'number';
  v_line int := coalesce((p_after ->> 'line_no')::int, 0);
  v_rows json;
begin
  perform private.begin_action(p_actor, 'customer');
  v_customer := private.actor_customer_id(p_actor);
  if p_status is not null and p_status not in ('submitted', 'approved', 'committed', 'cancelled') then
    perform private.fail('bad_request', 'Unknown status');
  end if;
  select json_agg(json_build_object(
      'number', x.number, 'status', x.status, 'reference', x.reference,
      'from_location_code', (select l.code from public.locations l where l.id = x.from_location_id),
      'created_at', x.created_at, 'committed_at', x.committed_at,
      'line_no', x.line_no, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit, 'qty', x.qty)
    order by x.created_at desc, x.number desc, x.line_no)
  into v_rows
  from (
    select f.number, f.status, f.reference, f.from_location_id, f.created_at, f.committed_at,
           coalesce(fl.line_no, 0) as line_no, fl.item_id, fl.qty
    from public.flows f
    left join public.flow_lines fl on fl.flow_id = f.id
    where f.kind = 'outbound' and f.customer_id = v_customer and f.status <> 'draft'
      and (p_status is null or f.status = p_status)
      and (p_after is null or (f.created_at, f.number) < (v_at, v_number)
           or ((f.created_at, f.number) = (v_at, v_number) and coalesce(fl.line_no, 0) > v_line))
    order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)
    limit v_limit) x
  left join public.items i on i.id = x.item_id;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- Files (the caller's rights): a customer's are their company's shared ones only, as the list.
create or replace function public.attachments_export(
  p_inspection_id uuid default null,
  p_customer_id uuid default null,
  p_kind text default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security invoker
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_role text;
  v_mine uuid;
  v_customer uuid := p_customer_id;
  v_at timestamptz := (p_after ->> 'created_at')::timestamptz;
  v_id uuid := (p_after ->> 'id')::uuid;
  v_rows json;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_role := private.actor_role(p_actor);
  v_mine := private.attachment_actor_company(p_actor);
  if p_kind is not null and p_kind not in ('report', 'photo', 'document') then
    perform private.fail('bad_request', 'kind must be report, photo or document');
  end if;
  if v_role = 'customer' then
    if v_mine is null or (p_customer_id is not null and p_customer_id <> v_mine) then
      perform private.fail('forbidden', 'You can only see your own company''s files');
    end if;
    v_customer := v_mine;
  end if;
  select json_agg(json_build_object(
      'id', a.id, 'file_name', a.file_name, 'kind', a.kind, 'inspection_number', a.inspection_number,
      'content_type', a.content_type, 'size_bytes', a.size_bytes,
      'uploaded_by_name', private.staff_display_name(a.uploaded_by), 'created_at', a.created_at)
    order by a.created_at desc, a.id)
  into v_rows
  from (
    select a.id, a.file_name, a.kind, a.content_type, a.size_bytes, a.uploaded_by, a.created_at,
           (select i.number from public.inspection_applications i where i.id = a.inspection_id) as inspection_number
    from public.attachments a
    where (p_inspection_id is null or a.inspection_id = p_inspection_id)
      and (v_customer is null or a.customer_id = v_customer)
      and (p_kind is null or a.kind = p_kind)
      and (v_role <> 'customer' or not a.internal)
      and (p_after is null or a.created_at < v_at or (a.created_at = v_at and a.id > v_id))
    order by a.created_at desc, a.id
    limit v_limit) a;
  return private.export_batch(v_rows, v_limit);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: signed-in users (each function checks who may use it) and the server; never anon
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.items_export(text, uuid, boolean, uuid, text, jsonb, int, uuid),
  public.stocks_export(uuid, uuid, uuid, boolean, jsonb, int, uuid),
  public.ledger_export(uuid, uuid, timestamptz, timestamptz, jsonb, int, uuid),
  public.flows_export(text, text, text, timestamptz, timestamptz, uuid, jsonb, int, uuid),
  public.customers_export(text, boolean, jsonb, int, uuid),
  public.users_export(text, text, boolean, jsonb, int, uuid),
  public.audit_export(uuid, text, text, timestamptz, timestamptz, boolean, jsonb, int, uuid),
  public.inspections_export(text, boolean, uuid, uuid, text, jsonb, int, uuid),
  public.portal_stock_export(text, jsonb, int, uuid),
  public.portal_shipments_export(text, jsonb, int, uuid),
  public.attachments_export(uuid, uuid, text, jsonb, int, uuid)
from public, anon;

grant execute on function
  public.items_export(text, uuid, boolean, uuid, text, jsonb, int, uuid),
  public.stocks_export(uuid, uuid, uuid, boolean, jsonb, int, uuid),
  public.ledger_export(uuid, uuid, timestamptz, timestamptz, jsonb, int, uuid),
  public.flows_export(text, text, text, timestamptz, timestamptz, uuid, jsonb, int, uuid),
  public.customers_export(text, boolean, jsonb, int, uuid),
  public.users_export(text, text, boolean, jsonb, int, uuid),
  public.audit_export(uuid, text, text, timestamptz, timestamptz, boolean, jsonb, int, uuid),
  public.inspections_export(text, boolean, uuid, uuid, text, jsonb, int, uuid),
  public.portal_stock_export(text, jsonb, int, uuid),
  public.portal_shipments_export(text, jsonb, int, uuid),
  public.attachments_export(uuid, uuid, text, jsonb, int, uuid)
to authenticated, service_role;
