-- Which roles may do what, said once in SQL as lib/auth/permissions.ts says it in TypeScript
-- (tests/db/role-helpers.test.ts checks that the two agree for every role and action), and the
-- policies that listed roles by hand ask it instead. Functions still pass role lists to
-- private.begin_action; they move to private.roles_for when they are next redefined.

-- ============================================================================================
-- private.roles_for(action): the roles allowed an action of the permission matrix
-- ============================================================================================

create or replace function private.roles_for(p_action text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case p_action
    when 'profile:read' then array['admin', 'manager', 'korean_team', 'chinese_staff', 'customer']
    when 'profile:update' then array['admin', 'manager', 'korean_team', 'chinese_staff', 'customer']
    when 'staff:access' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'portal:access' then array['customer']
    when 'users:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'users:manage' then array['admin']
    when 'audit:read' then array['admin']
    when 'customers:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'customers:write' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'customers:delete' then array['admin', 'manager', 'korean_team']
    when 'records:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'records:write' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'records:delete' then array['admin', 'manager', 'korean_team']
    when 'flows:approve' then array['admin', 'manager']
    when 'flows:commit' then array['admin', 'manager']
    when 'own-records:read' then array['customer']
    when 'own-records:write' then array['customer']
  end
$$;

-- An action the matrix does not know allows no one (null array: no role matches).
revoke execute on function private.roles_for(text) from public;
grant execute on function private.roles_for(text) to authenticated, service_role;

-- ============================================================================================
-- private.may(action): whether the signed-in user's role is allowed the action
-- ============================================================================================

create or replace function private.may(p_action text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.app_role() = any (private.roles_for(p_action)), false)
$$;

revoke execute on function private.may(text) from public;
grant execute on function private.may(text) to authenticated, service_role;

-- ============================================================================================
-- Policies that listed roles: the same rules, through the matrix
-- ============================================================================================

drop policy "staff who may delete remove customers" on public.customers;
create policy "staff who may delete remove customers"
  on public.customers for delete to authenticated
  using ((select private.may('customers:delete')));

drop policy "admins read the audit log" on public.audit_log;
create policy "admins read the audit log"
  on public.audit_log for select to authenticated
  using ((select private.may('audit:read')));

drop policy "staff who may delete remove files" on public.attachments;
create policy "staff who may delete remove files"
  on public.attachments for delete to authenticated
  using ((select private.may('records:delete')));

-- Supabase Storage's objects (absent on the shim, as in 20261122000720).
do $storage$
begin
  if to_regclass('storage.objects') is null then
    return;
  end if;
  execute 'drop policy if exists "attachments: staff who may delete remove files" on storage.objects';
  execute $sql$
    create policy "attachments: staff who may delete remove files"
      on storage.objects for delete to authenticated
      using (bucket_id = 'attachments' and (select private.may('records:delete')))
  $sql$;
end;
$storage$;
