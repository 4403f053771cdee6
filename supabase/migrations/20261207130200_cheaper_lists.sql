-- Cheaper list pages (issue 17), measured by `npm run bench` (docs/performance.md).
--
-- 1. items_list walks the sku order to its page (page N skips (N-1) x limit rows). With the id
--    in the index that walk is an index-only scan instead of a heap fetch per skipped row; the
--    same for the list of active (or inactive) items.
-- 2. stocks_list(p_low): the count joined every low row to its item only to apply filters that
--    were not given. Without an engine or a search it counts the low rows of the partial index
--    alone (every totals row has its item: a foreign key). Same count.

create index if not exists items_sku_id_idx on public.items (sku, id);
drop index if exists public.items_sku_idx;
create index if not exists items_active_sku_id_idx on public.items (active, sku, id);
drop index if exists public.items_active_sku_idx;

create or replace function public.stocks_list(p_item_id uuid DEFAULT NULL::uuid, p_location_id uuid DEFAULT NULL::uuid, p_engine_id uuid DEFAULT NULL::uuid, p_low boolean DEFAULT false, p_page integer DEFAULT 1, p_limit integer DEFAULT 10, p_actor uuid DEFAULT NULL::uuid, p_q text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := private.like_pattern(p_q);
  v_has_q boolean := nullif(trim(p_q), '') is not null;
  v_code text := trim(p_q);
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if coalesce(p_low, false) then
    -- Items below their reorder point (by total across locations): the rows of
    -- item_stock_totals whose shortage is set, read through its partial index, never all items.
    return jsonb_build_object(
      'data', coalesce((
        select jsonb_agg(jsonb_build_object(
          'item_id', i.id, 'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
          'reorder_point', i.reorder_point, 'on_hand', i.on_hand, 'shortage', i.shortage,
          'engine_id', i.engine_id, 'low', true,
          'locations', coalesce((select jsonb_agg(jsonb_build_object('location_id', s.location_id, 'location_code', l.code, 'on_hand', s.on_hand) order by l.code)
                                 from public.stocks s join public.locations l on l.id = s.location_id
                                 where s.item_id = i.id and (p_location_id is null or s.location_id = p_location_id)), '[]'::jsonb))
          order by i.shortage desc, i.sku)
        from (
          select i.*, t.on_hand, t.shortage from public.item_stock_totals t join public.items i on i.id = t.item_id
          where t.shortage is not null
            and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
            and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
            and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
                 or i.name_en ilike v_pattern or i.barcode = v_code)
          order by t.shortage desc, i.sku
          limit p_limit offset v_offset) i
      ), '[]'::jsonb),
      -- Without an engine or a search, the count needs no item: the low rows alone, from the
      -- partial index (every totals row has its item, so the join filtered nothing).
      'count', case when p_engine_id is null and not v_has_q then (
        select count(*) from public.item_stock_totals t
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id)))
      else (
        select count(*) from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)) end,
      'page', p_page, 'limit', p_limit);
  end if;

  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', x.item_id, 'location_id', x.location_id, 'on_hand', x.on_hand, 'updated_at', x.updated_at,
        'sku', i.sku, 'name_ko', i.name_ko, 'name_zh', i.name_zh, 'name_en', i.name_en, 'unit', i.unit,
        'engine_id', i.engine_id, 'reorder_point', i.reorder_point, 'unit_cost', i.unit_cost,
        'item_on_hand', coalesce(t.on_hand, 0), 'low', i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point,
        'location_code', l.code, 'location_name', l.name, 'country', l.country)
        order by i.sku, l.code)
      from (
        select s.* from public.stocks s
        join public.items i on i.id = s.item_id
        join public.locations l on l.id = s.location_id
        where (p_item_id is null or s.item_id = p_item_id)
          and (p_location_id is null or s.location_id = p_location_id)
          and (p_engine_id is null or i.engine_id = p_engine_id)
          and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
               or i.name_en ilike v_pattern or i.barcode = v_code)
        order by i.sku, l.code
        limit p_limit offset v_offset) x
      join public.items i on i.id = x.item_id
      join public.locations l on l.id = x.location_id
      left join public.item_stock_totals t on t.item_id = x.item_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.stocks s join public.items i on i.id = s.item_id
      where (p_item_id is null or s.item_id = p_item_id)
        and (p_location_id is null or s.location_id = p_location_id)
        and (p_engine_id is null or i.engine_id = p_engine_id)
        and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
             or i.name_en ilike v_pattern or i.barcode = v_code)),
    'page', p_page, 'limit', p_limit);
end;
$$;
