-- Foundation: customers, profiles, the role helpers that every policy uses, and the functions the
-- auth layer and the health endpoints call.
--
-- Access intent
--   customers: staff read all; customer users read only their own company; staff except
--              chinese_staff may delete; staff write.
--   profiles:  everyone reads their own; staff read all; customers only their own; a user may
--              change their own display name and locale; only admins change role, company link
--              or the active flag (through admin_set_user_access).

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Shared helpers
-- ---------------------------------------------------------------------------------------------

create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Raise one of the application's error codes. The API maps the message to an HTTP status;
-- the detail is a human-readable sentence and the hint carries JSON details.
create or replace function private.fail(p_code text, p_message text, p_details jsonb default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'P0001',
    message = p_code,
    detail = p_message,
    hint = coalesce(p_details::text, '');
end;
$$;
revoke all on function private.fail(text, text, jsonb) from public;
grant execute on function private.fail(text, text, jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- customers
-- ---------------------------------------------------------------------------------------------

create table public.customers (
  id uuid primary key default gen_random_uuid(),
  code text not null,
  name text not null,
  business_number text,
  contact_name text,
  email text,
  phone text,
  address text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_code_format check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  constraint customers_name_length check (char_length(name) between 1 and 200)
);
create unique index customers_code_key on public.customers (code);
create trigger customers_touch before update on public.customers
  for each row execute function private.touch_updated_at();

alter table public.customers enable row level security;
revoke all on public.customers from anon, authenticated;
grant select, insert, update, delete on public.customers to authenticated;
grant all on public.customers to service_role;

-- ---------------------------------------------------------------------------------------------
-- profiles
-- ---------------------------------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text not null default '',
  role text not null default 'customer',
  customer_id uuid references public.customers (id) on delete restrict,
  locale text not null default 'ko',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_role_valid check (role in ('admin', 'manager', 'korean_team', 'chinese_staff', 'customer')),
  constraint profiles_locale_valid check (locale in ('ko', 'zh', 'en')),
  -- Staff belong to no company; an active customer user belongs to exactly one. (A customer
  -- user without a company is a signup waiting for an admin, and stays inactive.)
  constraint profiles_staff_no_company check (role = 'customer' or customer_id is null),
  constraint profiles_active_customer_company check (not (role = 'customer' and active and customer_id is null)),
  constraint profiles_display_name_length check (char_length(display_name) <= 100)
);
create index profiles_customer_id_idx on public.profiles (customer_id);
create index profiles_role_idx on public.profiles (role);
create unique index profiles_email_key on public.profiles (lower(email));
create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

alter table public.profiles enable row level security;
revoke all on public.profiles from anon, authenticated;
grant select on public.profiles to authenticated;
-- Users edit only these columns of their own row; role, company and active go through
-- admin_set_user_access.
grant update (display_name, locale) on public.profiles to authenticated;
grant all on public.profiles to service_role;

-- ---------------------------------------------------------------------------------------------
-- Role helpers used by policies (security definer so that policies on profiles do not recurse)
-- ---------------------------------------------------------------------------------------------

create or replace function private.app_role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select p.role from public.profiles p where p.id = (select auth.uid()) and p.active
$$;

create or replace function private.is_staff()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.app_role() in ('admin', 'manager', 'korean_team', 'chinese_staff'), false)
$$;

create or replace function private.has_role(variadic p_roles text[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.app_role() = any (p_roles), false)
$$;

create or replace function private.my_customer_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.customer_id from public.profiles p
  where p.id = (select auth.uid()) and p.active and p.role = 'customer'
$$;

-- The acting user of a function call. Staff endpoints call with the service role and pass the
-- actor's id; anyone else is always themselves, whatever they pass.
create or replace function private.actor(p_actor uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select case when (select auth.role()) = 'service_role' then p_actor else (select auth.uid()) end
$$;

-- The active profile of an actor, as returned by actor().
create or replace function private.actor_role(p_actor uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select p.role from public.profiles p where p.id = private.actor(p_actor) and p.active
$$;

revoke all on function private.app_role(), private.is_staff(), private.has_role(text[]),
  private.my_customer_id(), private.actor(uuid), private.actor_role(uuid) from public;
grant execute on function private.app_role(), private.is_staff(), private.has_role(text[]),
  private.my_customer_id(), private.actor(uuid), private.actor_role(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Policies
-- ---------------------------------------------------------------------------------------------

create policy "staff read all customers; customers read their own company"
  on public.customers for select to authenticated
  using ((select private.is_staff()) or id = (select private.my_customer_id()));

create policy "staff create customers"
  on public.customers for insert to authenticated
  with check ((select private.is_staff()));

create policy "staff update customers"
  on public.customers for update to authenticated
  using ((select private.is_staff()))
  with check ((select private.is_staff()));

create policy "staff who may delete remove customers"
  on public.customers for delete to authenticated
  using ((select private.has_role('admin', 'manager', 'korean_team')));

create policy "users read themselves; staff read everyone"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or (select private.is_staff()));

create policy "users update their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- New auth users get a profile. Role and company come from app_metadata, which only the
-- service role can write; user_metadata (user-editable) only supplies the display name.
-- ---------------------------------------------------------------------------------------------

create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role text := coalesce(new.raw_app_meta_data ->> 'role', 'customer');
  v_customer uuid := nullif(new.raw_app_meta_data ->> 'customer_id', '')::uuid;
begin
  -- A user created without a role (e.g. from the Supabase dashboard or an invite) gets no
  -- access: an inactive customer profile without a company, until an admin sets role and company.
  insert into public.profiles (id, email, display_name, role, customer_id, locale, active)
  values (
    new.id,
    new.email,
    left(coalesce(new.raw_user_meta_data ->> 'display_name', new.raw_user_meta_data ->> 'name', split_part(new.email, '@', 1)), 100),
    v_role,
    case when v_role = 'customer' then v_customer end,
    coalesce(new.raw_app_meta_data ->> 'locale', case when v_role = 'chinese_staff' then 'zh' else 'ko' end),
    new.raw_app_meta_data ? 'role' and (v_role <> 'customer' or v_customer is not null)
  );
  return new;
end;
$$;
revoke all on function private.handle_new_user() from public;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

-- ---------------------------------------------------------------------------------------------
-- Functions called by the API
-- ---------------------------------------------------------------------------------------------

create or replace function private.profile_json(p public.profiles)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p.id, 'email', p.email, 'display_name', p.display_name, 'role', p.role,
    'customer_id', p.customer_id, 'locale', p.locale, 'active', p.active,
    'created_at', p.created_at, 'updated_at', p.updated_at
  )
$$;
revoke all on function private.profile_json(public.profiles) from public;
grant execute on function private.profile_json(public.profiles) to authenticated, service_role;

-- The caller's own profile (active or not: the API decides what an inactive profile means).
create or replace function public.me(p_actor uuid default null)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select private.profile_json(p) from public.profiles p where p.id = private.actor(p_actor)
$$;
revoke all on function public.me(uuid) from public, anon;
grant execute on function public.me(uuid) to authenticated, service_role;

-- A user changes their own display name or language.
create or replace function public.update_my_profile(p_display_name text default null, p_locale text default null, p_actor uuid default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  update public.profiles
  set display_name = coalesce(p_display_name, display_name),
      locale = coalesce(p_locale, locale)
  where id = private.actor(p_actor)
  returning * into v_profile;
  if not found then
    perform private.fail('not_found', 'Profile not found');
  end if;
  return private.profile_json(v_profile);
end;
$$;
revoke all on function public.update_my_profile(text, text, uuid) from public, anon;
grant execute on function public.update_my_profile(text, text, uuid) to authenticated, service_role;

-- Admins change a user's role, company link and active flag. The last active admin can be
-- neither demoted nor deactivated, so the system always has someone who can manage users.
create or replace function public.admin_set_user_access(
  p_user_id uuid,
  p_role text default null,
  p_customer_id uuid default null,
  p_active boolean default null,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before public.profiles;
  v_after public.profiles;
  v_role text;
begin
  if private.actor_role(p_actor) is distinct from 'admin' then
    perform private.fail('forbidden', 'Only administrators change roles and access');
  end if;

  -- Serialise admin changes so that two admins cannot demote each other at once.
  perform pg_advisory_xact_lock(hashtext('duly.admin_set_user_access'));

  select * into v_before from public.profiles where id = p_user_id for update;
  if not found then
    perform private.fail('not_found', 'User not found');
  end if;

  v_role := coalesce(p_role, v_before.role);
  if v_before.role = 'admin' and v_before.active
     and (v_role <> 'admin' or p_active is false)
     and (select count(*) from public.profiles where role = 'admin' and active) <= 1 then
    perform private.fail('last_admin', 'The last active administrator cannot be demoted or deactivated');
  end if;

  update public.profiles
  set role = v_role,
      customer_id = case when v_role = 'customer' then coalesce(p_customer_id, v_before.customer_id) else null end,
      active = coalesce(p_active, active)
  where id = p_user_id
  returning * into v_after;

  return private.profile_json(v_after);
end;
$$;
revoke all on function public.admin_set_user_access(uuid, text, uuid, boolean, uuid) from public, anon;
grant execute on function public.admin_set_user_access(uuid, text, uuid, boolean, uuid) to authenticated, service_role;

-- Database identity for the health endpoints: the latest applied migration.
create or replace function public.health_check()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'schema', (select max(version) from supabase_migrations.schema_migrations),
    'time', now()
  )
$$;
revoke all on function public.health_check() from public, anon, authenticated;
grant execute on function public.health_check() to service_role;
