-- items_list counts exactly only when the count is cheap (issue 17): while at most 1,000 items
-- match. Beyond that `count` is the planner's estimate (never below 1,001) and the new
-- `count_exact` is false; the envelope is otherwise unchanged. With 10,000 items the exact count
-- of every page read all 10,000 index entries, as much as the page itself; it grows with the
-- catalogue, the estimate does not. Documented in lib/openapi (the list page) and docs/api.md.

create or replace function public.items_list(p_q text DEFAULT NULL::text, p_engine_id uuid DEFAULT NULL::uuid, p_active boolean DEFAULT NULL::boolean, p_customer_id uuid DEFAULT NULL::uuid, p_sort text DEFAULT 'sku'::text, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_order text;
  v_where text := 'true';
  v_data jsonb;
  v_count bigint;
  v_exact boolean := true;
  v_plan json;
  v_ids uuid[];
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
  -- The page's ids first (an index can serve the order and the limit), then their rows.
  execute format(
    'select coalesce(array_agg(x.id), ''{}'') from (
       select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
       where %s order by %s limit %s offset %s) x',
    v_where, v_order, p_limit, v_offset)
    into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  select coalesce(jsonb_agg(to_jsonb(i) || jsonb_build_object('on_hand', coalesce(t.on_hand, 0), 'engine_code', e.code) order by p.ord), '[]'::jsonb)
  into v_data
  from unnest(v_ids) with ordinality as p(id, ord)
  join public.items i on i.id = p.id
  left join public.item_stock_totals t on t.item_id = i.id
  left join public.engines e on e.id = i.engine_id;
  return jsonb_build_object('data', v_data, 'count', v_count, 'count_exact', v_exact, 'page', p_page, 'limit', p_limit);
end;
$$;
