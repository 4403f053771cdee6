-- The caller's identity and role, read on every request and by every function and policy, in
-- PL/pgSQL (issue: inventory and flows, benchmark).
--
-- These helpers were LANGUAGE sql with `set search_path`: such a function is never inlined, and
-- Postgres plans a SQL function's body again on every query that calls it. `me()` alone planned
-- five bodies per call (itself, actor, profile_json, and is_staff and app_role through the RLS
-- policy on profiles) and cost 3.7 times the transaction around it. PL/pgSQL keeps each
-- statement's plan for the life of the connection. Same signatures, same grants, same answers;
-- only the language changes (and `me` reads the one row it may read without going through the
-- profiles policy, which only ever allowed that row).
--
-- Measured with pgbench, 8 clients, one transaction per call as the app sends it (2 cores):
-- me() 2,358 -> 6,883 calls/s; begin/claims/commit alone 12,700/s.

create or replace function private.actor(p_actor uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return case when auth.role() = 'service_role' then p_actor else auth.uid() end;
end;
$$;

create or replace function private.actor_role(p_actor uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_role text;
begin
  select p.role into v_role from public.profiles p where p.id = private.actor(p_actor) and p.active;
  return v_role;
end;
$$;

-- The signed-in user's own role: actor_role without an actor (the service role is nobody here).
create or replace function private.app_role()
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.actor_role(null);
end;
$$;

create or replace function private.is_staff()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(private.app_role() in ('admin', 'manager', 'korean_team', 'chinese_staff'), false);
end;
$$;

create or replace function private.has_role(variadic p_roles text[])
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(private.app_role() = any (p_roles), false);
end;
$$;

create or replace function private.actor_customer_id(p_actor uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_customer uuid;
begin
  select p.customer_id into v_customer from public.profiles p
  where p.id = private.actor(p_actor) and p.active and p.role = 'customer';
  return v_customer;
end;
$$;

-- The signed-in customer's own company: actor_customer_id without an actor.
create or replace function private.my_customer_id()
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return private.actor_customer_id(null);
end;
$$;

-- The caller's own profile (the service role names the actor). Security definer: it reads only
-- the actor's row, which the profiles policy let every user read anyway, so the policy's own
-- is_staff() lookup is not paid on every request. An inactive profile is returned as it is; the
-- app refuses it (lib/auth).
create or replace function public.me(p_actor uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_profile jsonb;
begin
  select private.profile_json(p) into v_profile from public.profiles p where p.id = private.actor(p_actor);
  return v_profile;
end;
$$;

-- create or replace keeps the grants; restated so that this file says who may call what.
revoke all on function private.app_role(), private.is_staff(), private.has_role(text[]),
  private.my_customer_id(), private.actor(uuid), private.actor_role(uuid), private.actor_customer_id(uuid) from public;
grant execute on function private.app_role(), private.is_staff(), private.has_role(text[]),
  private.my_customer_id(), private.actor(uuid), private.actor_role(uuid), private.actor_customer_id(uuid) to authenticated, service_role;
revoke all on function public.me(uuid) from public, anon;
grant execute on function public.me(uuid) to authenticated, service_role;
