-- The low-stock list (GET /api/v1/stocks?low=true, the dashboard's low-stock widget) without
-- comparing every item's total with its reorder point on each call (issue: inventory and flows,
-- benchmark). item_stock_totals keeps each item's shortage (reorder point minus stock across all
-- locations) while the item is active and below its reorder point, and null otherwise, kept by
-- triggers on both tables; a partial index holds only the low items.

alter table public.item_stock_totals add column shortage numeric(14, 3);
comment on column public.item_stock_totals.shortage is
  'reorder_point - on_hand while the item is active and below its reorder point (> 0), else null; kept by triggers';

create or replace function private.shortage_of(p_active boolean, p_reorder_point numeric, p_on_hand numeric)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when p_active and p_reorder_point > 0 and p_on_hand < p_reorder_point then p_reorder_point - p_on_hand end
$$;

-- Stock totals change (a commit, a new item): the shortage follows, from the item as it is now.
create or replace function private.item_stock_totals_shortage()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select private.shortage_of(i.active, i.reorder_point, new.on_hand) into new.shortage
  from public.items i where i.id = new.item_id;
  return new;
end;
$$;
create trigger item_stock_totals_shortage before insert or update on public.item_stock_totals
  for each row execute function private.item_stock_totals_shortage();

-- The reorder point or the active flag changes: the item's shortage follows.
create or replace function private.items_shortage()
returns trigger
language plpgsql
-- Items are edited with the editor's own rights, which do not include writing the totals.
security definer
set search_path = ''
as $$
begin
  update public.item_stock_totals t set shortage = private.shortage_of(new.active, new.reorder_point, t.on_hand)
  where t.item_id = new.id and t.shortage is distinct from private.shortage_of(new.active, new.reorder_point, t.on_hand);
  return null;
end;
$$;
create trigger items_shortage after update of reorder_point, active on public.items
  for each row when (old.reorder_point is distinct from new.reorder_point or old.active is distinct from new.active)
  execute function private.items_shortage();

revoke all on function private.shortage_of(boolean, numeric, numeric) from public;
revoke all on function private.item_stock_totals_shortage() from public;
revoke all on function private.items_shortage() from public;

-- Every item has a totals row (item_create makes it); make sure, then fill the new column.
insert into public.item_stock_totals (item_id, on_hand)
select i.id, 0 from public.items i
where not exists (select 1 from public.item_stock_totals t where t.item_id = i.id);
update public.item_stock_totals t set shortage = private.shortage_of(i.active, i.reorder_point, t.on_hand)
from public.items i where i.id = t.item_id;

create index item_stock_totals_low_idx on public.item_stock_totals (shortage desc) where shortage is not null;

create or replace function public.stocks_list(
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_engine_id uuid default null,
  p_low boolean default false,
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
          order by t.shortage desc, i.sku
          limit p_limit offset v_offset) i
      ), '[]'::jsonb),
      'count', (
        select count(*) from public.item_stock_totals t join public.items i on i.id = t.item_id
        where t.shortage is not null
          and (p_item_id is null or t.item_id = p_item_id) and (p_engine_id is null or i.engine_id = p_engine_id)
          and (p_location_id is null or exists (select 1 from public.stocks s where s.item_id = t.item_id and s.location_id = p_location_id))),
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
        and (p_engine_id is null or i.engine_id = p_engine_id)),
    'page', p_page, 'limit', p_limit);
end;
$$;
