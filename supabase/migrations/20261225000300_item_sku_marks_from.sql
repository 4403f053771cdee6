-- The item list's sku marks made again from the first sku a statement touched, not from the start.
--
-- 20261221000100 made every mark again after any statement that adds, removes or renames items:
-- a read of the whole sku order, so each such statement cost about 0.7 µs per item of the
-- catalogue (6.4-7.4 ms for a one-item insert at 10,000 items; docs/performance.md), and it grew
-- with the catalogue. But no place before the smallest sku a statement added, removed or renamed
-- (from or to) moves: the last mark before that sku and every mark before it stay right. So the
-- build starts from that mark. A new sku at the end of the order (the usual next number of a
-- series) reads about 100 items; one in the middle, the half after it.
--
-- The marks were right before the statement: every statement that changes places rebuilds under
-- the marks table's share row exclusive lock, held to the end of its transaction, and sees what
-- an earlier holder committed. So only this statement's rows have moved places since.
--
-- The insert and delete triggers now keep their transition tables for that smallest sku; a
-- statement that touched no row rebuilds nothing.

create function private.item_sku_marks_build(p_from text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_pos int := 0;
  v_sku text;
begin
  lock table public.item_sku_marks in share row exclusive mode;
  -- The statements after the lock see what a transaction that rebuilt before this one committed.
  if p_from is not null then
    select m.pos, m.sku into v_pos, v_sku from public.item_sku_marks m where m.sku < p_from order by m.pos desc limit 1;
  end if;
  if v_sku is null then
    v_pos := 0;
  end if;
  insert into public.item_sku_marks as m (pos, sku)
  select x.pos, x.sku
  from (select i.sku, (v_pos + row_number() over (order by i.sku) - 1)::int as pos
        from public.items i where v_sku is null or i.sku >= v_sku) x
  where x.pos % 100 = 0
  on conflict (pos) do update set sku = excluded.sku where m.sku is distinct from excluded.sku;
  delete from public.item_sku_marks m
  where m.pos >= v_pos + (select count(*) from public.items i where v_sku is null or i.sku >= v_sku);
end;
$$;
revoke all on function private.item_sku_marks_build(text) from public;

-- Every mark from the start: for loads that run with triggers off (the bench).
create or replace function private.item_sku_marks_build()
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.item_sku_marks_build(null);
end;
$$;

create or replace function private.item_sku_marks_refresh()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from text;
begin
  -- The smallest sku the statement added, removed, or moved from or to. (Each branch names the
  -- transition tables its trigger has; PL/pgSQL plans a statement when it first runs it.)
  if tg_op = 'INSERT' then
    select min(n.sku) into v_from from new_items n;
  elsif tg_op = 'DELETE' then
    select min(o.sku) into v_from from old_items o;
  else
    select min(least(o.sku, n.sku)) into v_from from old_items o join new_items n on n.id = o.id where n.sku is distinct from o.sku;
  end if;
  -- No row, or no sku moved: no place changed.
  if v_from is not null then
    perform private.item_sku_marks_build(v_from);
  end if;
  return null;
end;
$$;

drop trigger items_sku_marks_insert on public.items;
drop trigger items_sku_marks_delete on public.items;
create trigger items_sku_marks_insert after insert on public.items
  referencing new table as new_items
  for each statement execute function private.item_sku_marks_refresh();
create trigger items_sku_marks_delete after delete on public.items
  referencing old table as old_items
  for each statement execute function private.item_sku_marks_refresh();
