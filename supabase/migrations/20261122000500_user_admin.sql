-- User administration and the audit log for admins: the user list, the checks before an account
-- is created, changes to a user's access and name, the companies a customer user can belong to,
-- and the audit trail with filters.
--
-- Access intent
--   Every function here is for administrators only. Each re-checks that the actor is an active
--   admin (private.begin_action -> private.actor_role), whatever the API already checked.
--   Accounts themselves are created by the auth service, never by a function in this file:
--   Supabase Auth's admin API in production, auth.admin_create_user (supabase/shim.sql) when
--   embedded or on plain Postgres. The profile then comes from the foundation's trigger, so this
--   file applies unchanged on Supabase.

-- ---------------------------------------------------------------------------------------------
-- Who created an account: attribution and a last check, in the auth service's own transaction
-- ---------------------------------------------------------------------------------------------
-- The server puts the creating admin's id in app_metadata.created_by (only the service role can
-- write app_metadata). Before the row is written we refuse anyone who is not an active admin,
-- and record them as the actor so the audit row of the new profile names them.

create or replace function private.attribute_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_by uuid := nullif(new.raw_app_meta_data ->> 'created_by', '')::uuid;
begin
  if v_by is null then
    return new;
  end if;
  if not exists (select 1 from public.profiles p where p.id = v_by and p.role = 'admin' and p.active) then
    perform private.fail('forbidden', 'Only administrators create users');
  end if;
  perform set_config('duly.actor', v_by::text, true);
  return new;
end;
$$;
revoke all on function private.attribute_new_user() from public;

create trigger on_auth_user_attribute
  before insert on auth.users
  for each row execute function private.attribute_new_user();

-- ---------------------------------------------------------------------------------------------
-- Shared pieces
-- ---------------------------------------------------------------------------------------------

-- A user as the admin screens show them: the profile, the company's name, and what the auth
-- service knows (last sign-in; an invited user has not confirmed their email yet).
-- Not granted to anyone: only the security definer functions below call it.
create or replace function private.user_row(p_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select private.profile_json(p) || jsonb_build_object(
    'customer_name', c.name,
    'customer_code', c.code,
    'last_sign_in_at', u.last_sign_in_at,
    'email_confirmed', u.email_confirmed_at is not null,
    'created_by', nullif(u.raw_app_meta_data ->> 'created_by', '')
  )
  from public.profiles p
  left join public.customers c on c.id = p.customer_id
  left join auth.users u on u.id = p.id
  where p.id = p_id
$$;
revoke all on function private.user_row(uuid) from public;

-- One invalid field, in the API's validation error shape ({path, message}[]), so that forms can
-- show the message next to the field.
create or replace function private.fail_field(p_path text, p_message text)
returns void
language sql
set search_path = ''
as $$
  select private.fail('validation_failed', p_message, jsonb_build_array(jsonb_build_object('path', p_path, 'message', p_message)))
$$;
revoke all on function private.fail_field(text, text) from public;

-- The company a customer user is linked to must exist, and be active for a new link.
create or replace function private.check_customer_link(p_role text, p_customer_id uuid, p_keep uuid default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_role = 'customer' then
    if p_customer_id is null then
      perform private.fail_field('customer_id', 'A customer user needs a customer company');
    end if;
    if p_customer_id is distinct from p_keep
       and not exists (select 1 from public.customers c where c.id = p_customer_id and c.active) then
      perform private.fail_field('customer_id', 'Customer not found or inactive');
    end if;
  elsif p_customer_id is not null then
    perform private.fail_field('customer_id', 'Only customer users belong to a customer company');
  end if;
end;
$$;
revoke all on function private.check_customer_link(text, uuid, uuid) from public;

-- ---------------------------------------------------------------------------------------------
-- users_list: a page of users with search and filters
-- ---------------------------------------------------------------------------------------------

create or replace function public.users_list(
  p_q text default null,
  p_role text default null,
  p_active boolean default null,
  p_page int default 1,
  p_limit int default 20,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_pattern text := case when nullif(trim(p_q), '') is not null then private.like_pattern(p_q) end;
begin
  perform private.begin_action(p_actor, 'admin');
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(private.user_row(f.id) order by f.ord)
      from (
        select p.id, row_number() over (order by lower(p.email), p.id) as ord
        from public.profiles p
        where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
          and (p_role is null or p.role = p_role)
          and (p_active is null or p.active = p_active)
        order by lower(p.email), p.id
        limit p_limit offset v_offset
      ) f
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.profiles p
      where (v_pattern is null or p.email ilike v_pattern or p.display_name ilike v_pattern)
        and (p_role is null or p.role = p_role)
        and (p_active is null or p.active = p_active)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- user_get: one user, by id or by email
-- ---------------------------------------------------------------------------------------------

create or replace function public.user_get(p_id uuid default null, p_email text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform private.begin_action(p_actor, 'admin');
  v := private.user_row(coalesce(p_id, (select p.id from public.profiles p where lower(p.email) = lower(trim(p_email)))));
  if v is null then
    perform private.fail('not_found', 'User not found');
  end if;
  return v;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- user_create_prepare: everything the server checks before it asks the auth service for an
-- account, and the normalised values it must pass on. Writes nothing; it runs through
-- rpc_idempotent so that an Idempotency-Key is claimed before the account exists.
-- ---------------------------------------------------------------------------------------------

create or replace function public.user_create_prepare(
  p_email text,
  p_display_name text default null,
  p_role text default null,
  p_customer_id uuid default null,
  p_locale text default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin');
  v_email text := lower(trim(p_email));
  v_name text := nullif(trim(p_display_name), '');
  v_locale text;
begin
  if v_email is null or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' or char_length(v_email) > 254 then
    perform private.fail_field('email', 'Enter a valid email address');
  end if;
  if p_role is null or p_role not in ('admin', 'manager', 'korean_team', 'chinese_staff', 'customer') then
    perform private.fail_field('role', 'Choose a role');
  end if;
  if char_length(v_name) > 100 then
    perform private.fail_field('display_name', 'At most 100 characters');
  end if;
  v_locale := coalesce(p_locale, case when p_role = 'chinese_staff' then 'zh' else 'ko' end);
  if v_locale not in ('ko', 'zh', 'en') then
    perform private.fail_field('locale', 'Choose ko, zh or en');
  end if;
  perform private.check_customer_link(p_role, p_customer_id);
  if exists (select 1 from public.profiles p where lower(p.email) = v_email)
     or exists (select 1 from auth.users u where lower(u.email) = v_email and u.deleted_at is null) then
    perform private.fail('conflict', 'A user with this email already exists',
      jsonb_build_array(jsonb_build_object('path', 'email', 'message', 'A user with this email already exists')));
  end if;
  return jsonb_build_object(
    'email', v_email,
    'display_name', coalesce(v_name, split_part(v_email, '@', 1)),
    'role', p_role,
    'customer_id', p_customer_id,
    'locale', v_locale,
    'created_by', v_actor
  );
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- user_update: role, company link, active flag (through admin_set_user_access, which keeps the
-- last active admin) and the display name, in one transaction
-- ---------------------------------------------------------------------------------------------

create or replace function public.user_update(
  p_user_id uuid,
  p_role text default null,
  p_customer_id uuid default null,
  p_active boolean default null,
  p_display_name text default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cur public.profiles;
  v_role text;
  v_name text := trim(p_display_name);
begin
  perform private.begin_action(p_actor, 'admin');
  select * into v_cur from public.profiles where id = p_user_id;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;
  if p_role is not null and p_role not in ('admin', 'manager', 'korean_team', 'chinese_staff', 'customer') then
    perform private.fail_field('role', 'Choose a role');
  end if;
  if v_name is not null and char_length(v_name) not between 1 and 100 then
    perform private.fail_field('display_name', 'Between 1 and 100 characters');
  end if;
  v_role := coalesce(p_role, v_cur.role);
  if p_role is not null or p_customer_id is not null then
    perform private.check_customer_link(
      v_role,
      case when v_role = 'customer' then coalesce(p_customer_id, v_cur.customer_id) else p_customer_id end,
      v_cur.customer_id
    );
  end if;

  if p_role is not null or p_customer_id is not null or p_active is not null then
    perform public.admin_set_user_access(p_user_id, p_role, p_customer_id, p_active, p_actor);
  end if;
  if v_name is not null and v_name is distinct from v_cur.display_name then
    update public.profiles set display_name = v_name where id = p_user_id;
  end if;
  return private.user_row(p_user_id);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- user_customer_options: the companies a customer user can be linked to
-- ---------------------------------------------------------------------------------------------

create or replace function public.user_customer_options(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin');
  return coalesce((
    select jsonb_agg(jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) order by c.name, c.code)
    from public.customers c
    where c.active
  ), '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- audit_list: a page of the audit log, newest first, with the actor's name and the changed keys
-- ---------------------------------------------------------------------------------------------

create or replace function public.audit_list(
  p_actor_id uuid default null,
  p_table text default null,
  p_action text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_security_only boolean default false,
  p_page int default 1,
  p_limit int default 20,
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
  perform private.begin_action(p_actor, 'admin');
  if p_action is not null and p_action not in ('insert', 'update', 'delete') then
    perform private.fail_field('action', 'Choose insert, update or delete');
  end if;
  return jsonb_build_object(
    'data', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', a.id,
          'created_at', a.created_at,
          'actor_id', a.actor_id,
          'actor_email', p.email,
          'actor_name', p.display_name,
          'action', a.action,
          'table_name', a.table_name,
          'row_id', a.row_id,
          'security_event', a.security_event,
          'before', a.before,
          'after', a.after,
          -- Keys whose value differs (every key of an insert or delete).
          'changed', coalesce((
            select jsonb_agg(k.key order by k.key)
            from (select jsonb_object_keys(coalesce(a.before, '{}'::jsonb)) as key
                  union
                  select jsonb_object_keys(coalesce(a.after, '{}'::jsonb))) k
            where a.before -> k.key is distinct from a.after -> k.key
          ), '[]'::jsonb)
        ) order by a.created_at desc, a.id desc)
      from (
        select * from public.audit_log l
        where (p_actor_id is null or l.actor_id = p_actor_id)
          and (p_table is null or l.table_name = p_table)
          and (p_action is null or l.action = p_action)
          and (p_from is null or l.created_at >= p_from)
          and (p_to is null or l.created_at < p_to)
          and (not coalesce(p_security_only, false) or l.security_event)
        order by l.created_at desc, l.id desc
        limit p_limit offset v_offset
      ) a
      left join public.profiles p on p.id = a.actor_id
    ), '[]'::jsonb),
    'count', (
      select count(*) from public.audit_log l
      where (p_actor_id is null or l.actor_id = p_actor_id)
        and (p_table is null or l.table_name = p_table)
        and (p_action is null or l.action = p_action)
        and (p_from is null or l.created_at >= p_from)
        and (p_to is null or l.created_at < p_to)
        and (not coalesce(p_security_only, false) or l.security_event)
    ),
    'page', p_page,
    'limit', p_limit
  );
end;
$$;

-- The tables whose changes are audited (those with an audit_row trigger), for the table filter;
-- read from the catalog so that later migrations' tables appear without a change here.
create or replace function public.audit_tables(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin');
  return coalesce((
    select jsonb_agg(distinct c.relname::text order by c.relname::text)
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_proc f on f.oid = t.tgfoid
    join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where f.proname = 'audit_row' and fn.nspname = 'private' and n.nspname = 'public' and not t.tgisinternal
  ), '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: admins' sessions and the server; never anon
-- ---------------------------------------------------------------------------------------------

revoke all on function
  public.users_list(text, text, boolean, int, int, uuid),
  public.user_get(uuid, text, uuid),
  public.user_create_prepare(text, text, text, uuid, text, uuid),
  public.user_update(uuid, text, uuid, boolean, text, uuid),
  public.user_customer_options(uuid),
  public.audit_list(uuid, text, text, timestamptz, timestamptz, boolean, int, int, uuid),
  public.audit_tables(uuid)
from public, anon;

grant execute on function
  public.users_list(text, text, boolean, int, int, uuid),
  public.user_get(uuid, text, uuid),
  public.user_create_prepare(text, text, text, uuid, text, uuid),
  public.user_update(uuid, text, uuid, boolean, text, uuid),
  public.user_customer_options(uuid),
  public.audit_list(uuid, text, text, timestamptz, timestamptz, boolean, int, int, uuid),
  public.audit_tables(uuid)
to authenticated, service_role;

-- Write requests with an Idempotency-Key run these through rpc_idempotent.
insert into private.idempotent_functions (name) values ('user_create_prepare'), ('user_update')
on conflict (name) do nothing;
