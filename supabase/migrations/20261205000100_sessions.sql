-- Sessions are server-side facts (issue 12): a token is good only while the session its
-- session_id claim names still exists in auth.sessions and is not past its not_after. Supabase
-- Auth keeps that table itself; on plain Postgres and PGlite the shim (supabase/shim.sql)
-- provides it and the embedded sign-in fills it.
--
-- Access intent
--   private.session_is_live(): the signed-in caller's own token, checked inside the per-request
--   identity call (public.me, public.me_counting_write): one primary-key lookup in the
--   transaction the request already pays for, no extra round trip. A caller whose session is
--   gone is treated as signed out (me() answers null, the app answers 401). Other identity
--   functions call this helper, or public.me(), so that the check lives in one place. The
--   service role (p_actor) is not a session and is not checked.
--   Ending sessions: signing out is the auth service's business (GoTrue's /logout on Supabase,
--   auth.sign_out in the shim). A change of role, company or a deactivation ends every session
--   of that user here, in the same transaction as the change, whatever path made it, so that the
--   user signs in again with what they are now. A reactivation brings none back: the rows are gone.
--
--   On Supabase these security definer functions are owned by postgres, which reads and deletes
--   in auth.sessions (docs/security.md, "Sessions").

create or replace function private.session_is_live()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_sid text := auth.jwt() ->> 'session_id';
begin
  -- A token without a session_id, or with one that is not a uuid, names no session.
  if v_sid is null or v_sid !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  return exists (
    select 1 from auth.sessions s
    where s.id = v_sid::uuid and s.user_id = auth.uid() and (s.not_after is null or s.not_after > now())
  );
end;
$$;
revoke all on function private.session_is_live() from public, anon;
grant execute on function private.session_is_live() to authenticated, service_role;

-- The caller's own profile, as before, now only for a live session (the service role names the
-- actor and is not a session).
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
  if auth.role() is distinct from 'service_role' and not private.session_is_live() then
    return null;
  end if;
  select private.profile_json(p) into v_profile from public.profiles p where p.id = private.actor(p_actor);
  return v_profile;
end;
$$;
revoke all on function public.me(uuid) from public, anon;
grant execute on function public.me(uuid) to authenticated, service_role;

-- The same check for write requests: a caller whose session is gone gets no profile and nothing
-- is counted.
create or replace function public.me_counting_write(p_limit int, p_window_seconds int default 60)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_profile jsonb;
begin
  perform set_config('synchronous_commit', 'off', true);
  if v_uid is null or not private.session_is_live() then
    return jsonb_build_object('profile', null, 'rate', null);
  end if;
  select private.profile_json(p) into v_profile from public.profiles p where p.id = v_uid;
  if v_profile is null or not coalesce((v_profile ->> 'active')::boolean, false) or coalesce(p_limit, 0) <= 0 then
    return jsonb_build_object('profile', v_profile, 'rate', null);
  end if;
  return jsonb_build_object(
    'profile', v_profile,
    'rate', public.rate_limit_hit('write:user:' || v_uid::text, p_limit, least(greatest(coalesce(p_window_seconds, 60), 1), 3600))
  );
end;
$$;
revoke all on function public.me_counting_write(int, int) from public, anon, service_role;
grant execute on function public.me_counting_write(int, int) to authenticated;

-- A change of what a user may do ends their sessions: role, customer company, deactivation.
-- A trigger, so that every path (user_update, admin_set_user_access, a fix by hand) does it in
-- the transaction that makes the change.
create or replace function private.end_sessions_on_access_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from auth.sessions s where s.user_id = new.id;
  return null;
end;
$$;
revoke all on function private.end_sessions_on_access_change() from public, anon, authenticated, service_role;

create trigger profiles_end_sessions_on_access_change
  after update of role, customer_id, active on public.profiles
  for each row
  when (old.role is distinct from new.role or old.customer_id is distinct from new.customer_id or (old.active and not new.active))
  execute function private.end_sessions_on_access_change();
