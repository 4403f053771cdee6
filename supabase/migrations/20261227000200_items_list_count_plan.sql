-- The unfiltered item list's count read the items after the last sku mark with a plan that could
-- scan the whole table.
--
-- The count is the last mark's place plus the items from its sku on (at most 100). Written
-- `where i.sku >= v_mark_sku limit 100` without an order, its generic plan (which PL/pgSQL keeps
-- once it looks no dearer than the custom ones) guesses a third of the table matches and reads
-- the items in heap order until 100 match: every item when the last mark's skus are stored last.
-- On the bench database (10,000 items, statistics from a 100,000-row ledger load) that was 204
-- buffers and 1.1-2.0 ms on every page, and items_list ran at 1,136 pages/s against 4,000 on a
-- load whose statistics had kept the custom plan. With `order by i.sku` both plans read the sku
-- index from the mark: 9 buffers.
--
-- The fallback (an item without a kept row) builds its rows from the item rows it has joined,
-- not by id (20261227000100): the id form of the builder has no caller left and goes.

CREATE OR REPLACE FUNCTION public.items_list(p_q text DEFAULT NULL::text, p_engine_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_sort text DEFAULT 'sku'::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
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
    -- them the planner's guess of a third of the table made it plan again on every call), and the
    -- order keeps that plan on the sku index (20261227000200).
    v_count := coalesce(v_mark_pos + (select count(*) from (select 1 from public.items i where i.sku >= v_mark_sku
                                                           order by i.sku limit 100) x), 0);
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
    select coalesce(json_agg(private.item_list_row(i, coalesce(t.on_hand, 0)) order by p.ord), '[]'::json)
    into v_data
    from unnest(v_ids) with ordinality as p(id, ord)
    join public.items i on i.id = p.id
    left join public.item_stock_totals t on t.item_id = i.id;
  end if;
  return json_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;

drop function private.item_list_row(uuid, numeric);
