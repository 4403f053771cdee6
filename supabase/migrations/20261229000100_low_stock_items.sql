-- The low-stock list's page and count from a small table of the low items only.
--
-- stocks_list(p_low) without a filter took its page from item_stock_totals' partial index of
-- the low items (joined to items for the sku order) and counted them through the same index.
-- Every commit updates the totals rows of its items, which clears those pages' all-visible
-- marks, and a HOT-pruned table seldom gets an autovacuum (docs/performance.md): so the count
-- read the heap page of every low item, scattered over the whole table (307 low items, 326
-- buffers on the bench database, about half of all the buffers the page touched). With 32
-- clients each buffer touched is dear on a host without huge pages.
--
-- public.low_stock_items holds one row per low item, its shortage and its sku, kept by a
-- trigger on item_stock_totals in the same transaction as the shortage it copies (the totals
-- row is already locked by whatever changes it, so no new lock order). Its few pages hold
-- nothing else: the count reads them, and the page comes from its (shortage desc, sku) index
-- without the items. The filtered low lists still read the totals' partial index.
--
-- Derived data, like item_sku_marks: a public table so that backups carry it (a restore runs
-- with triggers off), RLS on, nothing granted to authenticated: only the security definer
-- functions read it.

create table public.low_stock_items (
  item_id uuid primary key references public.item_stock_totals (item_id) on delete cascade,
  shortage numeric not null check (shortage > 0),
  sku text not null
);
create index low_stock_items_order_idx on public.low_stock_items (shortage desc, sku);
alter table public.low_stock_items enable row level security;
revoke all on public.low_stock_items from public, anon, authenticated;
grant all on public.low_stock_items to service_role;

-- The rows made again from the totals. Also for loads that run with triggers off (the bench).
create or replace function private.low_stock_items_build()
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.low_stock_items;
  insert into public.low_stock_items (item_id, shortage, sku)
  select t.item_id, t.shortage, i.sku
  from public.item_stock_totals t join public.items i on i.id = t.item_id
  where t.shortage is not null;
end;
$$;
revoke all on function private.low_stock_items_build() from public;

-- A totals row that is or was low: its row here follows. The sku is read from the item (an
-- item's update makes its totals row again, so a renamed low item's row follows too).
create or replace function private.low_stock_items_keep()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.shortage is null then
    delete from public.low_stock_items l where l.item_id = new.item_id;
  elsif tg_op = 'UPDATE' and old.shortage is not null then
    -- Low before and after: its row is here (made when it became low). A plain update costs
    -- less than an insert that finds its conflict.
    update public.low_stock_items l set shortage = new.shortage, sku = i.sku
    from public.items i
    where l.item_id = new.item_id and i.id = new.item_id and (l.shortage, l.sku) is distinct from (new.shortage, i.sku);
  else
    insert into public.low_stock_items as l (item_id, shortage, sku)
    select new.item_id, new.shortage, i.sku from public.items i where i.id = new.item_id
    on conflict (item_id) do update set shortage = excluded.shortage, sku = excluded.sku;
  end if;
  return null;
end;
$$;
revoke all on function private.low_stock_items_keep() from public;

-- Only rows that are or were low call it: a commit of an item with enough stock pays for the
-- condition alone. A deleted totals row takes its low row with it (the foreign key).
create trigger item_stock_totals_low_insert after insert on public.item_stock_totals
  for each row when (new.shortage is not null) execute function private.low_stock_items_keep();
create trigger item_stock_totals_low_update after update on public.item_stock_totals
  for each row when (old.shortage is not null or new.shortage is not null) execute function private.low_stock_items_keep();

create or replace function private.low_stock_page(p_limit integer, p_offset integer)
 RETURNS uuid[]
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
begin
  return array(
    select l.item_id from public.low_stock_items l
    order by l.shortage desc, l.sku
    limit p_limit offset p_offset);
end;
$function$;

-- The unfiltered low list counts the low rows above; the rest of the function is unchanged.
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

select private.low_stock_items_build();
