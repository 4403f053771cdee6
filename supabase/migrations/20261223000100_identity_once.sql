-- Who the caller is, resolved once per lookup instead of once per profile row.
--
-- private.actor_role, private.actor_customer_id, private.my_id, private.refuse_if_held,
-- private.attachment_actor_company and public.me found the caller's profile with
-- `where p.id = private.actor(p_actor)`. The profiles table is small, so the planner reads it
-- with a sequential scan and evaluates that condition row by row: private.actor, with its session
-- check, ran several times per lookup (three times for one me() on the bench's six users, more
-- with more users). These are the functions
-- row level security calls (private.is_staff and private.my_customer_id go through them) and
-- that every API request calls (me()), so the cost grew with the number of users and was paid by
-- every statement a policy guards. Each now resolves the actor first (a variable, or an
-- uncorrelated sub-select that runs once), then reads that one profile. The answers are the same:
-- private.actor is STABLE, one value per statement either way.
--
-- private.profile_json had a `SET search_path` of its own, which kept the planner from inlining
-- it: me() parsed and planned its body on every call. It names only its argument's columns and
-- pg_catalog's jsonb_build_object (pg_catalog is searched first whatever the path), so it needs
-- no setting, and it is not security definer.
--
-- Measured in a DO loop of 1,000 calls as the manager, the best of 7 rounds (docs/performance.md):
-- me() 90.6 -> 53-59 µs, private.is_staff() 40.8 -> 25 µs, private.my_customer_id() 40 -> 22 µs.

create or replace function private.actor_role(p_actor uuid)
 returns text
 language plpgsql
 stable security definer
 set search_path to ''
as $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text;
begin
  select p.role into v_role from public.profiles p
  where p.id = v_actor and p.active
    and not private.held(p.must_change_password);
  return v_role;
end;
$function$;

create or replace function private.actor_customer_id(p_actor uuid)
 returns uuid
 language plpgsql
 stable security definer
 set search_path to ''
as $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_customer uuid;
begin
  select p.customer_id into v_customer from public.profiles p
  where p.id = v_actor and p.active and p.role = 'customer'
    and not private.held(p.must_change_password);
  return v_customer;
end;
$function$;

create or replace function private.my_id()
 returns uuid
 language plpgsql
 stable security definer
 set search_path to ''
as $function$
declare
  v_actor uuid := private.actor(null);
  v_id uuid;
begin
  select p.id into v_id from public.profiles p
  where p.id = v_actor and p.active and not private.held(p.must_change_password);
  return v_id;
end;
$function$;

create or replace function private.refuse_if_held(p_actor uuid)
 returns void
 language plpgsql
 stable security definer
 set search_path to ''
as $function$
declare
  v_actor uuid := private.actor(p_actor);
begin
  if exists (select 1 from public.profiles p where p.id = v_actor and p.active and private.held(p.must_change_password)) then
    perform private.fail('password_change_required', 'Change your password first');
  end if;
end;
$function$;

create or replace function private.attachment_actor_company(p_actor uuid)
 returns uuid
 language sql
 stable security definer
 set search_path to ''
as $function$
  select p.customer_id from public.profiles p
  where p.id = (select private.actor(p_actor)) and p.active and p.role = 'customer'
$function$;

create or replace function public.me(p_actor uuid default null)
 returns jsonb
 language plpgsql
 stable security definer
 set search_path to ''
as $function$
declare
  v_actor uuid := private.actor(p_actor);
  v_profile jsonb;
begin
  select private.profile_json(p) || jsonb_build_object('must_change_password', p.must_change_password)
    into v_profile
  from public.profiles p
  where p.id = v_actor;
  return v_profile;
end;
$function$;

-- Inlined where it is called (no setting of its own; see above).
alter function private.profile_json(public.profiles) reset all;
