-- Functions for engines, locations and items: list, get, create, update, delete. Staff read;
-- staff write; only admin, manager and korean_team delete. Creates take the new record as JSON
-- and updates a JSON patch of the fields to change (PATCH semantics: absent keys stay as they are).

create or replace function private.pick(p jsonb, p_keys text[])
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
  from jsonb_each(coalesce(p, '{}'::jsonb)) e
  where e.key = any (p_keys)
$$;

-- Page arithmetic shared by the list functions (page from 1, limit 1..100).
create or replace function private.page_offset(p_page int, p_limit int)
returns int
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_page is null or p_page < 1 or p_limit is null or p_limit < 1 or p_limit > 100 then
    perform private.fail('bad_request', 'page must be 1 or more and limit between 1 and 100');
  end if;
  return (p_page - 1) * p_limit;
end;
$$;

-- LIKE pattern for a free-text search (the user's % and _ are literal).
create or replace function private.like_pattern(p_q text)
returns text
language sql
immutable
set search_path = ''
as $$
  select '%' || replace(replace(replace(trim(p_q), '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;

revoke all on function private.pick(jsonb, text[]), private.page_offset(int, int), private.like_pattern(text) from public;
grant execute on function private.pick(jsonb, text[]), private.page_offset(int, int), private.like_pattern(text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- engines
-- ---------------------------------------------------------------------------------------------

create or replace function public.engines_list(p_active boolean default null, p_page int default 1, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.code)
      from (select * from public.engines where p_active is null or active = p_active order by code limit p_limit offset v_offset) e
    ), '[]'::jsonb),
    'count', (select count(*) from public.engines where p_active is null or active = p_active),
    'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function public.engine_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select to_jsonb(e) into v from public.engines e where e.id = p_id;
  if v is null then perform private.fail('not_found', 'Engine not found'); end if;
  return v;
end;
$$;

create or replace function public.engine_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.engines := jsonb_populate_record(null::public.engines,
    private.pick(p_data, array['code', 'name_ko', 'name_zh', 'name_en', 'description', 'active']));
  v public.engines;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  insert into public.engines (code, name_ko, name_zh, name_en, description, active)
  values (r.code, r.name_ko, r.name_zh, r.name_en, r.description, coalesce(r.active, true))
  returning * into v;
  return to_jsonb(v);
end;
$$;

create or replace function public.engine_update(p_id uuid, p_patch jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cur public.engines;
  r public.engines;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select * into cur from public.engines where id = p_id for update;
  if not found then perform private.fail('not_found', 'Engine not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name_ko', 'name_zh', 'name_en', 'description', 'active']));
  update public.engines
  set code = r.code, name_ko = r.name_ko, name_zh = r.name_zh, name_en = r.name_en, description = r.description, active = r.active
  where id = p_id
  returning * into r;
  return to_jsonb(r);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- locations
-- ---------------------------------------------------------------------------------------------

create or replace function public.locations_list(p_active boolean default null, p_country text default null, p_page int default 1, p_limit int default 10, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(to_jsonb(l) order by l.code)
      from (select * from public.locations
            where (p_active is null or active = p_active) and (p_country is null or country = p_country)
            order by code limit p_limit offset v_offset) l
    ), '[]'::jsonb),
    'count', (select count(*) from public.locations
              where (p_active is null or active = p_active) and (p_country is null or country = p_country)),
    'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function public.location_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select to_jsonb(l) into v from public.locations l where l.id = p_id;
  if v is null then perform private.fail('not_found', 'Location not found'); end if;
  return v;
end;
$$;

create or replace function public.location_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.locations := jsonb_populate_record(null::public.locations, private.pick(p_data, array['code', 'name', 'country', 'active']));
  v public.locations;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  insert into public.locations (code, name, country, active)
  values (r.code, r.name, r.country, coalesce(r.active, true))
  returning * into v;
  return to_jsonb(v);
end;
$$;

create or replace function public.location_update(p_id uuid, p_patch jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cur public.locations;
  r public.locations;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select * into cur from public.locations where id = p_id for update;
  if not found then perform private.fail('not_found', 'Location not found'); end if;
  r := jsonb_populate_record(cur, private.pick(p_patch, array['code', 'name', 'country', 'active']));
  if cur.active and not r.active and exists (select 1 from public.stocks where location_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'A location that still holds stock cannot be deactivated');
  end if;
  update public.locations set code = r.code, name = r.name, country = r.country, active = r.active
  where id = p_id
  returning * into r;
  return to_jsonb(r);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- items
-- ---------------------------------------------------------------------------------------------

create or replace function private.item_json(i public.items)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select to_jsonb(i) || jsonb_build_object(
    'on_hand', coalesce((select t.on_hand from public.item_stock_totals t where t.item_id = i.id), 0),
    'engine_code', (select e.code from public.engines e where e.id = i.engine_id))
$$;
revoke all on function private.item_json(public.items) from public;
grant execute on function private.item_json(public.items) to authenticated, service_role;

create or replace function public.items_list(
  p_q text default null,
  p_engine_id uuid default null,
  p_active boolean default null,
  p_customer_id uuid default null,
  p_sort text default 'sku',
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
  v_order text;
  v_where text := 'true';
  v_data jsonb;
  v_count bigint;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_order := case p_sort
    when 'sku' then 'i.sku asc'
    when '-sku' then 'i.sku desc'
    when 'name' then 'i.name_ko asc, i.sku asc'
    when '-name' then 'i.name_ko desc, i.sku asc'
    when 'unit_cost' then 'i.unit_cost asc, i.sku asc'
    when '-unit_cost' then 'i.unit_cost desc, i.sku asc'
    when 'on_hand' then 'coalesce(t.on_hand, 0) asc, i.sku asc'
    when '-on_hand' then 'coalesce(t.on_hand, 0) desc, i.sku asc'
    when 'created_at' then 'i.created_at asc, i.sku asc'
    when '-created_at' then 'i.created_at desc, i.sku asc'
    when 'updated_at' then 'i.updated_at asc, i.sku asc'
    when '-updated_at' then 'i.updated_at desc, i.sku asc'
  end;
  if v_order is null then
    perform private.fail('bad_request', 'Unknown sort', jsonb_build_object('sort', p_sort));
  end if;
  if nullif(trim(p_q), '') is not null then
    v_where := v_where || ' and (i.sku ilike $1 or i.name_ko ilike $1 or i.name_zh ilike $1 or i.name_en ilike $1 or i.barcode = $5)';
  end if;
  if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $2'; end if;
  if p_active is not null then v_where := v_where || ' and i.active = $3'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $4'; end if;

  execute format('select count(*) from public.items i where %s', v_where)
    into v_count using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  execute format(
    'select coalesce(jsonb_agg(to_jsonb(x.i) || jsonb_build_object(''on_hand'', x.on_hand, ''engine_code'', x.engine_code) order by x.rn), ''[]''::jsonb)
     from (select i, coalesce(t.on_hand, 0) as on_hand, e.code as engine_code, row_number() over (order by %s) as rn
           from public.items i
           left join public.item_stock_totals t on t.item_id = i.id
           left join public.engines e on e.id = i.engine_id
           where %s order by %s limit %s offset %s) x',
    v_order, v_where, v_order, p_limit, v_offset)
    into v_data using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  return jsonb_build_object('data', v_data, 'count', v_count, 'page', p_page, 'limit', p_limit);
end;
$$;

create or replace function public.item_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  i public.items;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  select * into i from public.items where id = p_id;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  return private.item_json(i) || jsonb_build_object('stocks', coalesce((
    select jsonb_agg(jsonb_build_object(
      'location_id', l.id, 'location_code', l.code, 'location_name', l.name, 'country', l.country,
      'on_hand', coalesce(s.on_hand, 0), 'updated_at', s.updated_at) order by l.code)
    from public.locations l
    left join public.stocks s on s.location_id = l.id and s.item_id = p_id
    where l.active or s.on_hand > 0
  ), '[]'::jsonb));
end;
$$;

create or replace function public.item_create(p_data jsonb, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.items := jsonb_populate_record(null::public.items, private.pick(p_data,
    array['sku', 'name_ko', 'name_zh', 'name_en', 'unit', 'engine_id', 'reorder_point', 'unit_cost', 'customer_id', 'barcode', 'active']));
  v public.items;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
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

-- Deleting an item: refused while it has stock; an item with history is deactivated instead
-- (the ledger keeps pointing at it); an item never used is removed.
create or replace function public.item_delete(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cur public.items;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team');
  select * into cur from public.items where id = p_id for update;
  if not found then perform private.fail('not_found', 'Item not found'); end if;
  if exists (select 1 from public.stocks where item_id = p_id and on_hand > 0) then
    perform private.fail('conflict', 'An item with stock on hand cannot be deleted',
      jsonb_build_object('on_hand', (select sum(on_hand) from public.stocks where item_id = p_id)));
  end if;
  if exists (select 1 from public.stocks where item_id = p_id)
     or exists (select 1 from public.flow_lines where item_id = p_id) then
    update public.items set active = false where id = p_id returning * into cur;
    return jsonb_build_object('deleted', false, 'deactivated', true, 'item', private.item_json(cur));
  end if;
  delete from public.items where id = p_id;
  return jsonb_build_object('deleted', true, 'deactivated', false, 'item', to_jsonb(cur));
end;
$$;

revoke all on function
  public.engines_list(boolean, int, int, uuid), public.engine_get(uuid, uuid), public.engine_create(jsonb, uuid), public.engine_update(uuid, jsonb, uuid),
  public.locations_list(boolean, text, int, int, uuid), public.location_get(uuid, uuid), public.location_create(jsonb, uuid), public.location_update(uuid, jsonb, uuid),
  public.items_list(text, uuid, boolean, uuid, text, int, int, uuid), public.item_get(uuid, uuid), public.item_create(jsonb, uuid), public.item_update(uuid, jsonb, uuid), public.item_delete(uuid, uuid)
  from public, anon;
grant execute on function
  public.engines_list(boolean, int, int, uuid), public.engine_get(uuid, uuid), public.engine_create(jsonb, uuid), public.engine_update(uuid, jsonb, uuid),
  public.locations_list(boolean, text, int, int, uuid), public.location_get(uuid, uuid), public.location_create(jsonb, uuid), public.location_update(uuid, jsonb, uuid),
  public.items_list(text, uuid, boolean, uuid, text, int, int, uuid), public.item_get(uuid, uuid), public.item_create(jsonb, uuid), public.item_update(uuid, jsonb, uuid), public.item_delete(uuid, uuid)
  to authenticated, service_role;

insert into private.idempotent_functions (name) values
  ('engine_create'), ('engine_update'), ('location_create'), ('location_update'),
  ('item_create'), ('item_update'), ('item_delete');
