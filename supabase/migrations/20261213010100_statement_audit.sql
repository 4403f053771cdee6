-- Audit rows for many-row writes in one statement each (issue 17).
--
-- private.audit_row runs once per changed row: a plpgsql call, an INSERT of one audit row, and
-- for each of those the BEFORE INSERT trigger audit_import_link, a second plpgsql call. A
-- 100-line flow cost its backend 12.2 ms with it and 6.9 ms without. Tables written many rows at
-- a time (a flow's lines by private.flow_set_lines, items by an import) now audit per statement:
-- private.audit_rows reads the statement's transition tables and writes the same audit rows
-- (actor, action, table, row id, before, after; an update that changes nothing writes nothing)
-- with one INSERT ... SELECT. Postgres allows transition tables only on a trigger with one event,
-- so each table has three triggers. Tables whose update triggers have WHEN conditions (messages,
-- profiles) keep audit_row: a statement trigger cannot filter rows by WHEN, and they change one
-- row at a time anyway.
--
-- The import link: both audit functions now write import_id themselves, and audit_import_link
-- (kept for the other writers of audit_log) runs only when an import is applying and the row has
-- no import_id, decided by the trigger's WHEN, without calling plpgsql.

create or replace function private.audit_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := coalesce(
    (select auth.uid()),
    nullif(current_setting('duly.actor', true), '')::uuid
  );
  v_import uuid := nullif(current_setting('duly.import_id', true), '')::uuid;
begin
  -- A transition table is read in the order the statement changed its rows (a flow's lines in
  -- line order), so the audit ids follow that order, as audit_row's did.
  if tg_op = 'INSERT' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'insert', tg_table_name, n.j ->> 'id', null, n.j, false, v_import
    from (select to_jsonb(t) as j from audit_new t) n;
  elsif tg_op = 'DELETE' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'delete', tg_table_name, o.j ->> 'id', o.j, null, false, v_import
    from (select to_jsonb(t) as j from audit_old t) o;
  else
    -- Old and new paired by id; the join may reorder, the position puts them back.
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
    select v_actor, 'update', tg_table_name, coalesce(n.j ->> 'id', o.j ->> 'id'), o.j, n.j,
           tg_table_name = 'profiles'
             and ((o.j ->> 'role') is distinct from (n.j ->> 'role') or (o.j ->> 'active') is distinct from (n.j ->> 'active')),
           v_import
    from (select to_jsonb(t) as j, row_number() over () as pos from audit_new t) n
    join (select to_jsonb(t) as j from audit_old t) o on o.j -> 'id' = n.j -> 'id'
    where o.j <> n.j
    order by n.pos;
  end if;
  return null;
end;
$$;
revoke all on function private.audit_rows() from public;

drop trigger flow_lines_audit on public.flow_lines;
create trigger flow_lines_audit_insert after insert on public.flow_lines
  referencing new table as audit_new for each statement execute function private.audit_rows();
create trigger flow_lines_audit_update after update on public.flow_lines
  referencing old table as audit_old new table as audit_new for each statement execute function private.audit_rows();
create trigger flow_lines_audit_delete after delete on public.flow_lines
  referencing old table as audit_old for each statement execute function private.audit_rows();

drop trigger items_audit on public.items;
create trigger items_audit_insert after insert on public.items
  referencing new table as audit_new for each statement execute function private.audit_rows();
create trigger items_audit_update after update on public.items
  referencing old table as audit_old new table as audit_new for each statement execute function private.audit_rows();
create trigger items_audit_delete after delete on public.items
  referencing old table as audit_old for each statement execute function private.audit_rows();

-- The row-level function writes the import's id itself too.
create or replace function private.audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := coalesce(
    (select auth.uid()),
    nullif(current_setting('duly.actor', true), '')::uuid
  );
  v_before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_security boolean := false;
begin
  if tg_op = 'UPDATE' and v_before = v_after then
    return new;
  end if;
  -- Role changes and deactivations are security events (kept longer).
  if tg_table_name = 'profiles' and tg_op = 'UPDATE' then
    v_security := (v_before ->> 'role') is distinct from (v_after ->> 'role')
      or (v_before ->> 'active') is distinct from (v_after ->> 'active');
  end if;
  insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event, import_id)
  values (
    v_actor,
    lower(tg_op),
    tg_table_name,
    coalesce(v_after ->> 'id', v_before ->> 'id'),
    v_before,
    v_after,
    v_security,
    nullif(current_setting('duly.import_id', true), '')::uuid
  );
  return coalesce(new, old);
end;
$$;

-- Outside an import duly.import_id is unset (null) or '' (a transaction's local value gone).
drop trigger audit_log_import_link on public.audit_log;
create trigger audit_log_import_link before insert on public.audit_log for each row
  when (new.import_id is null and current_setting('duly.import_id', true) <> '')
  execute function private.audit_import_link();

-- The table filter lists the tables either audit function watches.
create or replace function public.audit_tables(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action_for(p_actor, 'audit:read');
  return coalesce((
    select jsonb_agg(distinct c.relname::text order by c.relname::text)
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_proc f on f.oid = t.tgfoid
    join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where f.proname in ('audit_row', 'audit_rows') and fn.nspname = 'private' and n.nspname = 'public' and not t.tgisinternal
  ), '[]'::jsonb);
end;
$$;
