-- Item and stock searches through the trigram index, and their pages sorted from the matches.
--
-- items_list and stocks_list with a search (`q`) counted up to 1,001 matches and then took the
-- page by walking the sku order with the search as a filter. The planner prices ILIKE as one
-- operator, so it read the whole items table (or walked the sku index) rather than the trigram
-- index of 20261222000200: on the bench's 10,000 items a search with 50 matches ("BN-LCD-0028")
-- took 33-38 ms a call, 29 ms of it the count's sequential scan and 14 ms the walk, against
-- 1 ms for the same rows from the index (docs/performance.md). Now:
-- - a search of three characters or more, where the index exists (Postgres, Supabase: the
--   embedded database has no pg_trgm), runs this call's statements with enable_seqscan off,
--   set back afterwards (set_config local: the transaction's end resets it in any case);
--   shorter patterns have no trigram to look up and read the table as before;
-- - with at most 1,000 matches the page sorts all of them (an OFFSET 0 fence, as flows_list
--   does) instead of walking the order's index; with more it walks the order as before.
-- The answers do not change: the contract tests compare every search with the same ILIKE.
--
-- stocks_list here also counts the unfiltered low list from public.low_stock_items
-- (20261229000100) instead of the totals' partial index.

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
  -- A search the trigram index can serve (three characters or more, on a server with pg_trgm).
  v_trgm boolean := char_length(trim(coalesce(p_q, ''))) >= 3 and to_regclass('public.items_search_trgm_idx') is not null;
  v_seqscan text := current_setting('enable_seqscan');
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
    -- The planner prices ILIKE as one operator, so for a search it reads the whole table (or
    -- walks the sku index) rather than the trigram index: 29 ms against 1 ms for a search with
    -- 50 matches among 10,000 items (docs/performance.md). Off for this call's statements only.
    if v_trgm then
      perform set_config('enable_seqscan', 'off', true);
    end if;
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
  elsif v_exact then
    -- At most 1,000 matches: all of them through the filters' indexes, then sorted (the OFFSET 0
    -- keeps the planner from walking the order's index instead, which read thousands of items to
    -- find twenty that sit together, as the flow list found). The outer `i` and `t` are the
    -- inner row, so the sort expressions above apply unchanged.
    execute format(
      'select coalesce(array_agg(x.id), ''{}'') from (
         select i.id from (select i.id, i.sku, i.name_ko, i.unit_cost, i.created_at, i.updated_at, t.on_hand
                           from public.items i left join public.item_stock_totals t on t.item_id = i.id
                           where %s offset 0) i
         cross join lateral (select i.on_hand) t
         order by %s limit %s offset %s) x',
      v_where, v_order, p_limit, v_offset)
      into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  else
    -- More: the order walked, which soon finds a page among so many.
    execute format(
      'select coalesce(array_agg(x.id), ''{}'') from (
         select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
         where %s order by %s limit %s offset %s) x',
      v_where, v_order, p_limit, v_offset)
      into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  end if;
  if v_trgm then
    perform set_config('enable_seqscan', v_seqscan, true);
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
  -- A search the items' trigram index can serve (as items_list).
  v_trgm boolean := char_length(trim(coalesce(p_q, ''))) >= 3 and to_regclass('public.items_search_trgm_idx') is not null;
  v_seqscan text := current_setting('enable_seqscan');
begin
  perform private.begin_action_for(p_actor, 'records:read');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations): the rows of
    -- item_stock_totals whose shortage is set, read through its partial index, never all items.
    if p_item_id is null and p_location_id is null and p_engine_id is null and not v_has_q then
      -- No filter: the page's items and the count from the low items' own table
      -- (public.low_stock_items), whose few pages hold nothing else.
      v_ids := private.low_stock_page(p_limit, v_offset);
      select count(*) into v_count from public.low_stock_items;
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
      -- As items_list: the trigram index, not the whole table, for this call's statements.
      if v_trgm then
        perform set_config('enable_seqscan', 'off', true);
      end if;
    end if;
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
    -- At most 1,000 matches: all of them, then sorted (OFFSET 0: not a walk of the sku order
    -- that reads thousands of rows to find twenty, as items_list); more: the order walked.
    execute format(
      case when v_exact then
        'select coalesce(array_agg(x.item_id), ''{}''), coalesce(array_agg(x.location_id), ''{}'') from (
           select x.item_id, x.location_id from (
             select s.item_id, s.location_id, i.sku, l.code from public.items i
             join public.stocks s on s.item_id = i.id
             join public.locations l on l.id = s.location_id
             where %s offset 0) x
           order by x.sku, x.code limit %s offset %s) x'
      else
        'select coalesce(array_agg(x.item_id), ''{}''), coalesce(array_agg(x.location_id), ''{}'') from (
           select s.item_id, s.location_id from public.items i
           join public.stocks s on s.item_id = i.id
           join public.locations l on l.id = s.location_id
           where %s order by i.sku, l.code limit %s offset %s) x'
      end,
      v_where, p_limit, v_offset)
      into v_items, v_locations using p_item_id, p_location_id, p_engine_id, v_pattern, v_code;
    if v_trgm and v_has_q then
      perform set_config('enable_seqscan', v_seqscan, true);
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
