-- The item list's pages in sku order without walking the index up to their offset, and its
-- count without a filter exact again.
--
-- items_list without a filter, in sku order (the catalogue's default view), read page N by
-- skipping (N - 1) x limit entries of the sku index: on the bench's 10,000 items, page 500 cost
-- 1.34 ms of backend CPU against 0.54 ms for page 1 (docs/performance.md), and its count was the
-- planner's estimate (count_exact false) above 2,000 items.
--
-- public.item_sku_marks holds the sku at every 100th place of the sku order (places 0, 100,
-- 200, ...). A page starts from the mark at or before its first place and skips at most 99
-- entries; the count is the last mark's place plus the items from its sku on. The marks are
-- derived data, like item_stock_totals: made again by a statement trigger whenever a statement
-- adds or removes items or changes a sku, in the same transaction (items cannot be truncated:
-- the ledger refuses it), so every snapshot sees marks
-- and items that agree. Rebuilds take the marks table's share row exclusive lock (it conflicts
-- with itself, not with readers), so two transactions that change items one after the other
-- each rebuild from what the other committed. A rebuild reads the sku index once (about 3 ms
-- for 10,000 items); a statement that changes other columns does not rebuild.
--
-- It is a public table, as item_stock_totals and flow_daily_totals are, so backups carry it with
-- the items (a restore runs with triggers off). RLS on, nothing granted to authenticated: only
-- the security definer functions read it.

create table public.item_sku_marks (
  pos integer primary key check (pos >= 0 and pos % 100 = 0),
  sku text not null
);
alter table public.item_sku_marks enable row level security;
revoke all on public.item_sku_marks from public, anon, authenticated;
grant all on public.item_sku_marks to service_role;

-- The marks made again from the items. Also for loads that run with triggers off (the bench).
create or replace function private.item_sku_marks_build()
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  lock table public.item_sku_marks in share row exclusive mode;
  -- The statements after the lock see what a transaction that rebuilt before this one committed.
  insert into public.item_sku_marks as m (pos, sku)
  select x.pos, x.sku
  from (select i.sku, (row_number() over (order by i.sku) - 1)::int as pos from public.items i) x
  where x.pos % 100 = 0
  on conflict (pos) do update set sku = excluded.sku where m.sku is distinct from excluded.sku;
  delete from public.item_sku_marks m where m.pos >= (select count(*) from public.items);
end;
$$;
revoke all on function private.item_sku_marks_build() from public;

create or replace function private.item_sku_marks_refresh()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- An update that moved no sku changes no place. (Nested: the transition tables exist for
  -- updates only, and PL/pgSQL plans the whole condition of an IF at once.)
  if tg_op = 'UPDATE' then
    if not exists (select 1 from old_items o join new_items n on n.id = o.id where n.sku is distinct from o.sku) then
      return null;
    end if;
  end if;
  perform private.item_sku_marks_build();
  return null;
end;
$$;
revoke all on function private.item_sku_marks_refresh() from public;

create trigger items_sku_marks_insert after insert on public.items
  for each statement execute function private.item_sku_marks_refresh();
create trigger items_sku_marks_delete after delete on public.items
  for each statement execute function private.item_sku_marks_refresh();
create trigger items_sku_marks_update after update on public.items
  referencing old table as old_items new table as new_items
  for each statement execute function private.item_sku_marks_refresh();

select private.item_sku_marks_build();

-- items_list: the count without a filter from the marks (exact), the sku pages from them.
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
  select coalesce(json_agg(r order by p.ord), '[]'::json)
  into v_data
  from unnest(v_ids) with ordinality as p(id, ord)
  join public.items i on i.id = p.id
  left join public.item_stock_totals t on t.item_id = i.id
  left join public.engines e on e.id = i.engine_id
  cross join lateral (
    select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.engine_id, i.reorder_point, i.unit_cost,
           i.customer_id, i.barcode, i.active, i.created_at, i.updated_at,
           coalesce(t.on_hand, 0) as on_hand, e.code as engine_code) r;
  return json_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$function$;
