-- The item list's rows kept with the items' stock totals, not built on every page.
--
-- items_list built the JSON of each of its rows (sixteen fields: the item's columns, its stock
-- total and its engine's code) on every call. In a DO loop on the bench database that was 118 µs
-- of the function's 230 µs for a page of 20 (docs/performance.md, 2026-12-07); a row's JSON costs
-- Postgres about 0.2 µs a field, most of it finding each field's output function again for every
-- row. The catalogue is read far more often than it changes.
--
-- item_stock_totals.list_row now holds each item's row as the list shows it. It is derived data,
-- like the shortage beside it, kept in the same transaction as what it derives from:
--   - a totals row's insert, and every change of its on_hand (a commit, a reversal), makes it
--     again (the trigger that already read the item for the shortage);
--   - a statement that updates items makes their rows again, with their shortage (one update of
--     the totals per statement, from its transition table);
--   - an engine's new code makes its items' rows again.
-- The page reads the kept rows by key and joins no item or engine. When a row is missing (an item
-- without a totals row: every path that makes items makes one, a load with triggers off may not;
-- or an item deleted between the page's two statements) the page is built as before.
--
-- Times are written as the session that changed the row formats them (UTC in every transport:
-- Supabase's, the Postgres server's and PGlite's default), as the list did.
--
-- The column is not granted to authenticated: only the security definer functions read it (the
-- items' own cost, reorder point and times are not granted either).

alter table public.item_stock_totals add column list_row json;
revoke select on public.item_stock_totals from authenticated;
grant select (item_id, on_hand, updated_at, shortage) on public.item_stock_totals to authenticated;

-- One item's row as the item list shows it. Null when the item does not exist. PL/pgSQL, not SQL:
-- a SQL function that cannot be inlined (this one sets its search_path) is planned again in every
-- transaction that calls it, and the commit calls it for every item it moves.
create or replace function private.item_list_row(p_item_id uuid, p_on_hand numeric)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select row_to_json(r)
    from public.items i
    left join public.engines e on e.id = i.engine_id
    cross join lateral (
      select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.engine_id, i.reorder_point, i.unit_cost,
             i.customer_id, i.barcode, i.active, i.created_at, i.updated_at,
             p_on_hand as on_hand, e.code as engine_code) r
    where i.id = p_item_id);
end;
$$;
revoke all on function private.item_list_row(uuid, numeric) from public;

-- A totals row's shortage and list row, from its item, whenever it is made or its on_hand moves.
create or replace function private.item_stock_totals_fill()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select private.shortage_of(i.active, i.reorder_point, new.on_hand) into new.shortage
  from public.items i where i.id = new.item_id;
  new.list_row := private.item_list_row(new.item_id, new.on_hand);
  return new;
end;
$$;
revoke all on function private.item_stock_totals_fill() from public;

drop trigger item_stock_totals_shortage on public.item_stock_totals;
drop function private.item_stock_totals_shortage();
create trigger item_stock_totals_fill before insert or update of on_hand on public.item_stock_totals
  for each row execute function private.item_stock_totals_fill();

-- Some items' totals rows made again from their items: the shortage (a reorder point or active
-- flag may have moved) and the list row. Locked in item order first, as a commit's totals are (its
-- upsert is sorted by item): an import changing items that a commit moves at the same time waits,
-- it does not deadlock.
create or replace function private.item_totals_refresh(p_items uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform 1 from public.item_stock_totals t where t.item_id = any(p_items) order by t.item_id for update;
  update public.item_stock_totals t
  set shortage = private.shortage_of(i.active, i.reorder_point, t.on_hand),
      list_row = private.item_list_row(i.id, t.on_hand)
  from public.items i
  where t.item_id = any(p_items) and i.id = t.item_id;
end;
$$;
revoke all on function private.item_totals_refresh(uuid[]) from public;

-- The updated items' rows, in one statement (every update moves updated_at).
create or replace function private.items_totals_refresh()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.item_totals_refresh(array(select n.id from new_items n));
  return null;
end;
$$;
revoke all on function private.items_totals_refresh() from public;

drop trigger items_shortage on public.items;
drop function private.items_shortage();
create trigger items_totals_refresh after update on public.items
  referencing new table as new_items
  for each statement execute function private.items_totals_refresh();

-- An engine's new code is in each of its items' rows.
create or replace function private.engine_items_refresh()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.item_totals_refresh(array(select i.id from public.items i where i.engine_id = new.id));
  return null;
end;
$$;
revoke all on function private.engine_items_refresh() from public;

create trigger engines_items_refresh after update of code on public.engines
  for each row when (old.code is distinct from new.code)
  execute function private.engine_items_refresh();

update public.item_stock_totals t set list_row = private.item_list_row(t.item_id, t.on_hand);

create or replace function public.items_list(p_q text DEFAULT NULL::text, p_engine_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_sort text DEFAULT 'sku'::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_order text;
  v_where text := 'true';
  v_data json;
  v_count bigint;
  v_exact boolean := true;
  v_plan json;
  v_ids uuid[];
  v_mark_pos int;
  v_mark_sku text;
  v_first bigint;
  v_take bigint;
  v_found int;
begin
  perform private.begin_action_for(p_actor, 'records:read');
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

  if v_where = 'true' then
    -- No filter: exact, from the sku marks (the last mark's place and the items from its sku on).
    select m.pos, m.sku into v_mark_pos, v_mark_sku from public.item_sku_marks m order by m.pos desc limit 1;
    -- At most 100 items from the last mark on; the bounds keep each statement's plan (without
    -- them the planner's guess of a third of the table made it plan again on every call).
    v_count := coalesce(v_mark_pos + (select count(*) from (select 1 from public.items i where i.sku >= v_mark_sku limit 100) x), 0);
  else
    -- Exact while at most 1,000 items match (a scan of at most 1,001); beyond that the planner's
    -- estimate from the table's statistics, never below 1,001, and count_exact says so. Counting
    -- every item of a large catalogue on every page cost more than the page itself.
    execute format('select count(*) from (select 1 from public.items i where %s limit 1001) x', v_where)
      into v_count using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
    if v_count > 1000 then
      execute format('explain (format json) select 1 from public.items i where %s', v_where)
        into v_plan using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
      v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
      v_exact := false;
    end if;
  end if;
  -- The page's ids first (an index can serve the order and the limit), then their rows.
  if v_where = 'true' and p_sort in ('sku', '-sku') then
    -- The page's places in ascending sku order (a descending page is the same places read from
    -- the other end), started from the mark at or before the first: at most 99 entries skipped.
    v_first := case when p_sort = 'sku' then v_offset else v_count - v_offset - p_limit end;
    v_take := p_limit + least(v_first, 0);
    v_first := greatest(v_first, 0);
    if v_take > 0 and v_first < v_count then
      select m.pos, m.sku into v_mark_pos, v_mark_sku
      from public.item_sku_marks m where m.pos <= v_first order by m.pos desc limit 1;
      -- At most 99 skipped and 100 taken: 199 entries at most.
      v_ids := array(select x.id from (select i.id, i.sku from public.items i where i.sku >= v_mark_sku
                                       order by i.sku asc limit 199) x
                     order by x.sku asc limit v_take offset v_first - v_mark_pos);
      if p_sort = '-sku' then
        v_ids := array(select u.id from unnest(v_ids) with ordinality as u(id, ord) order by u.ord desc);
      end if;
    else
      v_ids := '{}';
    end if;
  else
    execute format(
      'select coalesce(array_agg(x.id), ''{}'') from (
         select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
         where %s order by %s limit %s offset %s) x',
      v_where, v_order, p_limit, v_offset)
      into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  end if;
  -- Each row as kept with the item's stock total (item_stock_totals.list_row), read by key.
  select coalesce(json_agg(t.list_row order by p.ord), '[]'::json), count(*)
  into v_data, v_found
  from unnest(v_ids) with ordinality as p(id, ord)
  join public.item_stock_totals t on t.item_id = p.id and t.list_row is not null;
  if v_found < cardinality(v_ids) then
    -- An item without a kept row (a load that skipped its totals row), or one deleted since its
    -- id was read: the page's rows built from the tables, as before 20261226000100. (One
    -- statement with the build as a fallback per row cost more than the kept rows saved: its
    -- plan allocated and freed about 140 kB on every call.)
    select coalesce(json_agg(private.item_list_row(i.id, coalesce(t.on_hand, 0)) order by p.ord), '[]'::json)
    into v_data
    from unnest(v_ids) with ordinality as p(id, ord)
    join public.items i on i.id = p.id
    left join public.item_stock_totals t on t.item_id = i.id;
  end if;
  return json_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;

