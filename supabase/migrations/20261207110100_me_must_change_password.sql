-- The caller's own profile says whether they must change their password (an admin set a
-- temporary one), so the API can refuse everything else with 403 password_change_required
-- without a second database call on every request (me_counting reads me()).
--
-- Access intent: unchanged. me() answers the caller's own profile (authenticated, their own
-- session) or the actor's (service_role); the flag is the caller's own and says nothing about
-- anyone else. account_passwords stays closed to authenticated: this function reads it as its
-- definer.

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
  select private.profile_json(p)
         || jsonb_build_object('must_change_password', coalesce(a.must_change, false))
    into v_profile
  from public.profiles p
  left join public.account_passwords a on a.user_id = p.id
  where p.id = private.actor(p_actor);
  return v_profile;
end;
$$;

revoke all on function public.me(uuid) from public, anon;
grant execute on function public.me(uuid) to authenticated, service_role;
