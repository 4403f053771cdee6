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
-- nothing else: the page comes from its (shortage desc, sku) index without the items, and the
-- count reads them (stocks_list's count line is in 20261229000200, which replaces stocks_list
-- for its searches too: one copy of the function for both). The filtered low lists still read
-- the totals' partial index.
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

select private.low_stock_items_build();
