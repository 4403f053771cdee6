-- A revoked session's token can do nothing anywhere, not only at the app (issue 12, items 2 and 5).
--
-- 20261205000100_sessions.sql checks the token's session in the per-request identity call, so the
-- app answers 401 at once after a sign-out, a deactivation or a role change. But on Supabase a
-- signed-out user's access token stays valid at PostgREST until it expires (an hour by default),
-- and /rest/v1/rpc/<fn> skips the identity call. Every function and every RLS helper learns who is
-- calling through private.actor() (directly, or through actor_role, app_role, is_staff,
-- actor_customer_id and my_customer_id), so the check goes there: for a user's token whose session
-- is gone, actor() is nobody, and every function refuses and every policy that asks for a role or
-- a company matches nothing. The service role names its actor and is not a session.
--
-- Cost: one primary-key lookup per actor() call; a request's function and its policies make a few
-- (policies evaluate their helpers once per statement, as `(select ...)`).

create or replace function private.actor(p_actor uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if auth.role() = 'service_role' then
    return p_actor;
  end if;
  if not private.session_is_live() then
    return null;
  end if;
  return auth.uid();
end;
$$;

revoke all on function private.actor(uuid) from public;
grant execute on function private.actor(uuid) to authenticated, service_role;

-- me() checked the session itself (20261205000100) before reading the profile of private.actor();
-- now that actor() checks it, that was the same primary-key lookup twice on every request. The
-- answer is unchanged: a token whose session is gone has no actor, so no profile row matches.
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

revoke all on function public.me(uuid) from public, anon;
grant execute on function public.me(uuid) to authenticated, service_role;
