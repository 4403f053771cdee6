-- The item list's row built from the item row a caller already holds.
--
-- private.item_list_row(uuid, numeric) read the item by its id. Its two busiest callers had just
-- read that item themselves: the totals' trigger (for the shortage, on every line a commit moves)
-- and item_totals_refresh (joined with the items it updates). Each read it twice. The builder now
-- takes the item's row. The item list's fallback, the id form's last caller, moves to it in
-- 20261227000200, which drops the id form. The row's JSON is the same, field for field
-- (tests/helpers/item-list-rows.ts checks it).

create or replace function private.item_list_row(p_item public.items, p_on_hand numeric)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select row_to_json(r)
    from (
      select p_item.id, p_item.sku, p_item.name_ko, p_item.name_zh, p_item.name_en, p_item.unit, p_item.engine_id,
             p_item.reorder_point, p_item.unit_cost, p_item.customer_id, p_item.barcode, p_item.active,
             p_item.created_at, p_item.updated_at, p_on_hand as on_hand,
             (select e.code from public.engines e where e.id = p_item.engine_id) as engine_code) r);
end;
$$;
revoke all on function private.item_list_row(public.items, numeric) from public;

create or replace function private.item_stock_totals_fill()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item public.items;
begin
  select * into v_item from public.items i where i.id = new.item_id;
  if found then
    new.shortage := private.shortage_of(v_item.active, v_item.reorder_point, new.on_hand);
    new.list_row := private.item_list_row(v_item, new.on_hand);
  else
    new.shortage := null;
    new.list_row := null;
  end if;
  return new;
end;
$$;

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
      list_row = private.item_list_row(i, t.on_hand)
  from public.items i
  where t.item_id = any(p_items) and i.id = t.item_id;
end;
$$;
