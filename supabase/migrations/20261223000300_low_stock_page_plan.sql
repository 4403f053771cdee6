-- The low-stock page's items without planning their statement on every call.
--
-- stocks_list(p_low) without filters takes the page's items from the partial index of low items
-- (ordered by shortage, then sku) with `limit p_limit offset v_offset`. PL/pgSQL keeps a generic
-- plan only when its estimated cost is no worse than the custom plans'; with the limit and offset
-- unknown the planner estimates ten percent of the low items for each, so the generic plan's cost
-- came out higher, and the statement was planned again on every call, locking and reading the
-- statistics of every index of items and item_stock_totals, though the plan was the same (a walk
-- of the partial index, each item by key, an incremental sort). In a DO loop of 5,000 calls on the
-- bench database (307 low items) the statement took 108 µs planned each time and 31 µs with its
-- plan kept (docs/performance.md). private.low_stock_page runs it with the plan kept
-- (plan_cache_mode force_generic_plan for this statement only); the page is the same.

create function private.low_stock_page(p_limit integer, p_offset integer)
 returns uuid[]
 language plpgsql
 stable
 set search_path to ''
 set plan_cache_mode to 'force_generic_plan'
as $function$
begin
  return array(
    select t.item_id from public.item_stock_totals t join public.items i on i.id = t.item_id
    where t.shortage is not null
    order by t.shortage desc, i.sku
    limit p_limit offset p_offset);
end;
$function$;
-- Only stocks_list (security definer, run as the owner) calls it.
revoke all on function private.low_stock_page(integer, integer) from public;

create or replace function public.stocks_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_engine_id uuid DEFAULT NULL::uuid, p_low boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_code text := trim(p_q);
  v_ids uuid[];
  v_data json;
  v_count bigint;
  v_exact boolean := true;
  v_where text := 'true';
  v_plan json;
  v_items uuid[];
  v_locations uuid[];
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations): the rows of
    -- item_stock_totals whose shortage is set, read through its partial index, never all items.
    if p_item_id is null and p_location_id is null and p_engine_id is null and not v_has_q then
      -- No filter: the page's items and the count straight from the partial index.
      v_ids := private.low_stock_page(p_limit, v_offset);
      select count(*) into v_count from public.item_stock_totals t where t.shortage is not null;
    else
      v_ids := array(
        select t.item_id from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)
        order by t.shortage desc, i.sku
        limit p_limit offset v_offset);
      -- Without an engine or a search, the count needs no item: the low rows alone, from the
      -- partial index (every totals row has its item, so the join filtered nothing).
      if p_engine_id is null and not v_has_q then
        select count(*) into v_count from public.item_stock_totals t
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id));
      else
        select count(*) into v_count from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code);
      end if;
    end if;
    select coalesce(json_agg(r order by p.ord), '[]'::json)
    into v_data
    from unnest(v_ids) with ordinality as p(id, ord)
    join public.items i on i.id = p.id
    join public.item_stock_totals t on t.item_id = i.id
    -- The page's stock rows in one scan, grouped by item (a subquery per item cost twice as much).
    left join (
      select l.item_id, json_agg((select x from (select l.location_id, l.location_code, l.on_hand) x) order by l.location_code) as locations
      from (select s.item_id, s.location_id, lc.code as location_code, s.on_hand
            from public.stocks s join public.locations lc on lc.id = s.location_id
            where s.item_id = any(v_ids) and (p_location_id is null or s.location_id = p_location_id)) l
      group by l.item_id) sl on sl.item_id = i.id
    cross join lateral (
      select i.id as item_id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.reorder_point, t.on_hand, t.shortage,
             i.engine_id, true as low, coalesce(sl.locations, '[]'::json) as locations) r;
    return json_build_object('data', v_data, 'count', v_count, 'count_exact', true, 'page', p_page, 'limit', p_limit);
  end if;

  -- The page's stock rows (item, warehouse) first, in sku and warehouse-code order, then their
  -- JSON from them. Without a filter, a statement of its own whose plan is kept: the items in sku
  -- order through the sku index, each one's stock rows by key, sorted within the item (an
  -- incremental sort), so a page reads the rows it shows and those before it. With filters, a
  -- statement with only the filters given, planned for them (an item, a warehouse or an engine is
  -- then read through its index; the general statement's `(p is null or ...)` could use none and
  -- sorted every matching row).
  if p_item_id is null and p_location_id is null and p_engine_id is null and not v_has_q then
    select coalesce(array_agg(x.item_id), '{}'), coalesce(array_agg(x.location_id), '{}')
    into v_items, v_locations
    from (
      select s.item_id, s.location_id
      from public.items i
      join public.stocks s on s.item_id = i.id
      join public.locations l on l.id = s.location_id
      order by i.sku, l.code
      limit p_limit offset v_offset) x;
    -- Exact up to 1,000 stock rows (a scan of at most 1,001); beyond that the table's own
    -- estimate (its density times its current pages, as the planner works it out).
    select count(*) into v_count from (select 1 from public.stocks s limit 1001) c;
    if v_count > 1000 then
      select greatest(1001, round(c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint)
      into v_count
      from pg_catalog.pg_class c where c.oid = 'public.stocks'::regclass and c.relpages > 0 and c.reltuples >= 0;
      v_count := coalesce(v_count, 1001);
      v_exact := false;
    end if;
  else
    if p_item_id is not null then v_where := v_where || ' and s.item_id = $1'; end if;
    if p_location_id is not null then v_where := v_where || ' and s.location_id = $2'; end if;
    if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $3'; end if;
    if v_has_q then
      v_where := v_where || ' and (i.sku ilike $4 or i.name_ko ilike $4 or i.name_zh ilike $4 or i.name_en ilike $4 or i.barcode = $5)';
    end if;
    execute format(
      'select coalesce(array_agg(x.item_id), ''{}''), coalesce(array_agg(x.location_id), ''{}'') from (
         select s.item_id, s.location_id from public.items i
         join public.stocks s on s.item_id = i.id
         join public.locations l on l.id = s.location_id
         where %s order by i.sku, l.code limit %s offset %s) x',
      v_where, p_limit, v_offset)
      into v_items, v_locations using p_item_id, p_location_id, p_engine_id, v_pattern, v_code;
    -- Exact while at most 1,000 rows match; beyond that the planner's estimate for the filters,
    -- never below 1,001, as the item list does.
    execute format('select count(*) from (select 1 from public.stocks s join public.items i on i.id = s.item_id where %s limit 1001) c', v_where)
      into v_count using p_item_id, p_location_id, p_engine_id, v_pattern, v_code;
    if v_count > 1000 then
      execute format('explain (format json) select 1 from public.stocks s join public.items i on i.id = s.item_id where %s', v_where)
        into v_plan using p_item_id, p_location_id, p_engine_id, v_pattern, v_code;
      v_count := greatest(1001, round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint);
      v_exact := false;
    end if;
  end if;

  select coalesce(json_agg(r order by p.ord), '[]'::json)
  into v_data
  from unnest(v_items, v_locations) with ordinality as p(item_id, location_id, ord)
  join public.stocks s on s.item_id = p.item_id and s.location_id = p.location_id
  join public.items i on i.id = s.item_id
  join public.locations l on l.id = s.location_id
  left join public.item_stock_totals t on t.item_id = s.item_id
  cross join lateral (
    select s.item_id, s.location_id, s.on_hand, s.updated_at,
           i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.engine_id, i.reorder_point, i.unit_cost,
           coalesce(t.on_hand, 0) as item_on_hand, i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point as low,
           l.code as location_code, l.name as location_name, l.country) r;
  return json_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;
