-- The stock file follows the stock page's search (issue 13: an export holds every row matching
-- the page's filters). stocks_list took a search (p_q: SKU, names, barcode) in
-- 20261206050100_flow_stock_hints.sql; stocks_export did not, so the file of a searched page held
-- every item. Replaced: public.stocks_export, with p_q last (callers name their arguments), the
-- same match as stocks_list (private.like_pattern, which also refuses a search over 100
-- characters), the rest unchanged from 20261205000600_exports.sql.

drop function public.stocks_export(uuid, uuid, uuid, boolean, jsonb, int, uuid);

create function public.stocks_export(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_engine_id uuid default null,
  p_low boolean default false,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null,
  p_q text default null
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
  v_code text := trim(p_q);
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
        and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
             or i.name_en ilike v_pattern or i.barcode = v_code)
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
      and (not v_has_q or i.sku ilike v_pattern or i.name_ko ilike v_pattern or i.name_zh ilike v_pattern
           or i.name_en ilike v_pattern or i.barcode = v_code)
      and (p_after is null or (i.sku, l.code) > (p_after ->> 'sku', p_after ->> 'location_code'))
    order by i.sku, l.code
    limit v_limit) x;
  return private.export_batch(v_rows, v_limit);
end;
$$;

revoke all on function public.stocks_export(uuid, uuid, uuid, boolean, jsonb, int, uuid, text) from public, anon;
grant execute on function public.stocks_export(uuid, uuid, uuid, boolean, jsonb, int, uuid, text) to authenticated, service_role;
